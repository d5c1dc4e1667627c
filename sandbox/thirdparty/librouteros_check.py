"""Drives the simulator with an independent client library (librouteros,
PyPI) so the simulator follows the documented protocol rather than our own
client's habits. Usage: python3 librouteros_check.py HOST PORT"""

import sys

from librouteros import connect
from librouteros.exceptions import TrapError
from librouteros.query import Key


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    api = connect(host=host, username="admin", password="sandbox", port=port)

    identity = list(api.path("system", "identity"))
    assert identity and identity[0]["name"].startswith("gerbang-sandbox"), identity

    users = api.path("ip", "hotspot", "user")
    first = users.add(name="tp-1", password="x", comment="third party")
    second = users.add(name="tp-2", password="y", **{"limit-bytes-total": 1073741824})
    try:
        users.add(name="tp-1")
        raise SystemExit("a duplicate user was accepted")
    except TrapError as e:
        assert "already have user with this name" in str(e), e

    name, comment, ident = Key("name"), Key("comment"), Key(".id")
    rows = list(users.select(ident, name, comment).where(name == "tp-1"))
    assert len(rows) == 1 and rows[0]["comment"] == "third party", rows
    assert rows[0][".id"] == first, (rows, first)

    rows = list(users.select(name).where(name.In("tp-1", "tp-2")))
    assert sorted(r["name"] for r in rows) == ["tp-1", "tp-2"], rows

    full = [r for r in users if r["name"] == "tp-2"]
    assert full[0]["limit-bytes-total"] == 1073741824, full
    assert full[0]["disabled"] is False, full

    users.update(**{".id": second, "comment": "changed", "disabled": True})
    changed = [r for r in users if r["name"] == "tp-2"][0]
    assert changed["comment"] == "changed" and changed["disabled"] is True, changed

    users.remove(first, second)
    assert [r for r in users if r["name"].startswith("tp-")] == []

    try:
        list(api.path("ip", "nothing"))
        raise SystemExit("an unknown menu was accepted")
    except TrapError as e:
        assert "no such command prefix" in str(e), e

    api.close()
    print("librouteros: all checks passed")


if __name__ == "__main__":
    main()
