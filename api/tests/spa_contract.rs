//! The SPA's hand-written client (`web/src/api/*.rs`) checked against the
//! contract, call by call. Every public `async fn` that sends a `Call`
//! names its operation in the first line of its doc comment
//! (`` /// `PUT /admin/staff/{id}`. ``); this test reads the source with
//! `syn` and, for each, requires of `openapi.json`:
//!
//! - the operation exists with that method and path, and every path the
//!   body builds (a literal or a `format!`) is that operation's path (or,
//!   for a function choosing between two, another path with the same method);
//! - every query key it sends (`.query("key", …)`, or the literal keys of
//!   `("key", value)` tuples it loops over — in its body or in a `pairs()`
//!   helper of the same file) is a declared query parameter;
//! - the body it sends with `.json(…)` is the operation's request schema,
//!   by type name, and an operation that requires a body gets one;
//! - its `Result<T, ApiError>` is the operation's success schema by name
//!   (`Vec<T>` an array of `T`, `()` with `fetch_empty` an answer without
//!   a body).
//!
//! Functions without a `Call` (wrappers of another call) are skipped.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use syn::{visit::Visit, Expr, ExprMethodCall, FnArg, ImplItem, Item, Lit, Pat, Type};

/// What one client function does, as read from its source.
#[derive(Debug, Default)]
struct CallSite {
    name: String,
    file: String,
    doc: Option<(String, String)>,
    methods: BTreeSet<String>,
    paths: BTreeSet<String>,
    query_keys: BTreeSet<String>,
    /// `.query(k, …)` with a key that is not a literal.
    dynamic_query: bool,
    calls_pairs: bool,
    /// The expression passed to `.json(…)`, as a type name when it resolves.
    bodies: Vec<String>,
    returns: String,
    fetch_empty: bool,
}

fn type_name(t: &Type) -> String {
    match t {
        Type::Reference(r) => type_name(&r.elem),
        Type::Tuple(t) if t.elems.is_empty() => "()".into(),
        Type::Path(p) => {
            let last = p.path.segments.last().expect("a type name");
            match &last.arguments {
                syn::PathArguments::AngleBracketed(a) => {
                    let inner: Vec<String> = a
                        .args
                        .iter()
                        .filter_map(|g| match g {
                            syn::GenericArgument::Type(t) => Some(type_name(t)),
                            _ => None,
                        })
                        .collect();
                    format!("{}<{}>", last.ident, inner.join(", "))
                }
                _ => last.ident.to_string(),
            }
        }
        other => panic!("unexpected type {}", quote_type(other)),
    }
}

fn quote_type(t: &Type) -> String {
    format!("{:?}", std::mem::discriminant(t))
}

/// `Result<T, ApiError>` → `T`.
fn ok_type(t: &Type) -> String {
    let full = type_name(t);
    let inner = full
        .strip_prefix("Result<")
        .and_then(|s| s.strip_suffix(", ApiError>"))
        .unwrap_or_else(|| panic!("a client call returns Result<T, ApiError>, not {full}"));
    inner.to_owned()
}

fn literal_str(e: &Expr) -> Option<String> {
    match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        Expr::Reference(r) => literal_str(&r.expr),
        _ => None,
    }
}

/// Reads a function body: methods, paths, query keys, bodies.
struct BodyVisitor<'a> {
    site: &'a mut CallSite,
    /// Local `let x = Type { … }` bindings and parameters `x: &Type`.
    locals: BTreeMap<String, String>,
}

impl<'ast> Visit<'ast> for BodyVisitor<'_> {
    fn visit_local(&mut self, l: &'ast syn::Local) {
        if let (Pat::Ident(id), Some(init)) = (&l.pat, &l.init) {
            if let Expr::Struct(s) = &*init.expr {
                let name = s.path.segments.last().unwrap().ident.to_string();
                self.locals.insert(id.ident.to_string(), name);
            }
        }
        syn::visit::visit_local(self, l);
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let Expr::Path(p) = &*c.func {
            let segs: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            if segs.len() == 2 && segs[0] == "Call" {
                match segs[1].as_str() {
                    "get" => self.site.methods.insert("get".into()),
                    "post" => self.site.methods.insert("post".into()),
                    "new" => {
                        let Some(Expr::Path(m)) = c.args.first() else {
                            panic!("{}: Call::new(Method::X, …)", self.site.name)
                        };
                        let m = m.path.segments.last().unwrap().ident.to_string();
                        self.site.methods.insert(m.to_lowercase())
                    }
                    other => panic!("{}: unknown Call::{other}", self.site.name),
                };
            }
        }
        syn::visit::visit_expr_call(self, c);
    }

    fn visit_expr_method_call(&mut self, m: &'ast ExprMethodCall) {
        match m.method.to_string().as_str() {
            "query" => match m.args.first().and_then(literal_str) {
                Some(k) => {
                    self.site.query_keys.insert(k);
                }
                None => self.site.dynamic_query = true,
            },
            // `.json(&body)` sends; a response's `.json()` decodes.
            "json" if !m.args.is_empty() => {
                let arg = &m.args[0];
                let name = match arg {
                    Expr::Reference(r) => match &*r.expr {
                        Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
                        _ => None,
                    },
                    Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
                    _ => None,
                };
                let name = name.unwrap_or_else(|| panic!("{}: .json(a variable)", self.site.name));
                let ty = self
                    .locals
                    .get(&name)
                    .unwrap_or_else(|| panic!("{}: the type of {name} is unknown", self.site.name));
                self.site.bodies.push(ty.clone());
            }
            "fetch_empty" => self.site.fetch_empty = true,
            "pairs" => self.site.calls_pairs = true,
            _ => {}
        }
        syn::visit::visit_expr_method_call(self, m);
    }

    fn visit_expr_tuple(&mut self, t: &'ast syn::ExprTuple) {
        if t.elems.len() == 2 {
            if let Some(k) = t.elems.first().and_then(literal_str) {
                self.site.query_keys.insert(k);
            }
        }
        syn::visit::visit_expr_tuple(self, t);
    }

    fn visit_lit_str(&mut self, s: &'ast syn::LitStr) {
        let v = s.value();
        if v.starts_with('/') && !v.contains(' ') && v.len() > 1 {
            self.site.paths.insert(v);
        }
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        // format!("/admin/staff/{id}") — the literal is the first token.
        if let Ok(s) =
            m.parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        {
            for e in s.iter() {
                self.visit_expr(e);
            }
        }
    }
}

/// The `("key", …)` literals of a file's `fn pairs` (query-key helpers).
fn pairs_keys(file: &syn::File) -> BTreeSet<String> {
    struct Keys(BTreeSet<String>);
    impl<'ast> Visit<'ast> for Keys {
        fn visit_expr_tuple(&mut self, t: &'ast syn::ExprTuple) {
            if t.elems.len() == 2 {
                if let Some(k) = t.elems.first().and_then(literal_str) {
                    self.0.insert(k);
                }
            }
            syn::visit::visit_expr_tuple(self, t);
        }
    }
    let mut keys = Keys(BTreeSet::new());
    for item in &file.items {
        if let Item::Impl(i) = item {
            for it in &i.items {
                if let ImplItem::Fn(f) = it {
                    if f.sig.ident == "pairs" {
                        keys.visit_block(&f.block);
                    }
                }
            }
        }
    }
    keys.0
}

fn doc_operation(attrs: &[syn::Attribute]) -> Option<(String, String)> {
    let first = attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
            Expr::Lit(l) => match &l.lit {
                Lit::Str(s) => Some(s.value()),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    })?;
    let inner = first.trim().strip_prefix('`')?;
    let inner = &inner[..inner.find('`')?];
    let (method, path) = inner.split_once(' ')?;
    Some((method.to_lowercase(), path.to_owned()))
}

fn call_sites() -> Vec<CallSite> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src/api");
    let mut sites = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("web/src/api") {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        let file = syn::parse_file(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let helper_keys = pairs_keys(&file);
        for item in &file.items {
            let Item::Fn(f) = item else { continue };
            if f.sig.asyncness.is_none() || !matches!(f.vis, syn::Visibility::Public(_)) {
                continue;
            }
            let syn::ReturnType::Type(_, ret) = &f.sig.output else {
                continue;
            };
            let mut site = CallSite {
                name: f.sig.ident.to_string(),
                file: file_name.clone(),
                doc: doc_operation(&f.attrs),
                returns: ok_type(ret),
                ..CallSite::default()
            };
            let mut locals = BTreeMap::new();
            for input in &f.sig.inputs {
                if let FnArg::Typed(t) = input {
                    if let Pat::Ident(id) = &*t.pat {
                        locals.insert(id.ident.to_string(), type_name(&t.ty));
                    }
                }
            }
            BodyVisitor {
                site: &mut site,
                locals,
            }
            .visit_block(&f.block);
            if site.calls_pairs {
                site.query_keys.extend(helper_keys.iter().cloned());
            }
            if site.methods.is_empty() {
                continue; // a wrapper of another call
            }
            sites.push(site);
        }
    }
    sites
}

/// `/admin/staff/{id}` and `/admin/staff/{staff_id}` are the same route.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            c if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

/// The JSON schema of a request body or response (`application/json` or
/// `application/…+json`, any charset).
fn json_schema(v: &Value) -> Option<&Value> {
    v["content"]
        .as_object()?
        .iter()
        .find(|(k, _)| {
            let media = k.split(';').next().unwrap_or_default();
            media == "application/json" || media.ends_with("+json")
        })
        .map(|(_, c)| &c["schema"])
}

fn schema_name(schema: &Value) -> String {
    if let Some(r) = schema["$ref"].as_str() {
        return r.rsplit('/').next().unwrap().to_owned();
    }
    if schema["type"] == "array" {
        return format!("Vec<{}>", schema_name(&schema["items"]));
    }
    if let Some(all) = schema["allOf"].as_array() {
        if let Some(first) = all.first() {
            return schema_name(first);
        }
    }
    format!("{schema}")
}

#[test]
fn every_spa_call_matches_its_operation_in_openapi_json() {
    let spec: Value = serde_json::from_str(&api::routes::spec_json()).unwrap();
    let paths = spec["paths"].as_object().unwrap();
    let sites = call_sites();
    assert!(
        sites.len() >= 60,
        "the reader finds the client's calls: {}",
        sites.len()
    );
    let mut problems = Vec::new();
    for site in &sites {
        let at = format!("{}::{}", site.file, site.name);
        let Some((method, path)) = &site.doc else {
            problems.push(format!(
                "{at}: the doc comment does not start with `METHOD /path`"
            ));
            continue;
        };
        let Some(op) = paths.get(path).and_then(|p| p.get(method)) else {
            problems.push(format!(
                "{at}: `{} {path}` is not in openapi.json",
                method.to_uppercase()
            ));
            continue;
        };
        if site.methods.len() != 1 || !site.methods.contains(method) {
            problems.push(format!(
                "{at}: sends {:?}, the doc says {method}",
                site.methods
            ));
        }
        let shapes: BTreeSet<String> = site.paths.iter().map(|p| shape(p)).collect();
        if !shapes.contains(&shape(path)) {
            problems.push(format!("{at}: builds {:?}, not {path}", site.paths));
        }
        for p in &site.paths {
            let known = paths
                .iter()
                .any(|(k, v)| shape(k) == shape(p) && v.get(method).is_some());
            if !known {
                problems.push(format!(
                    "{at}: {} {p} is not an operation",
                    method.to_uppercase()
                ));
            }
        }
        // Query keys.
        let declared: BTreeSet<String> = op["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter(|p| p["in"] == "query")
                    .map(|p| p["name"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        for k in &site.query_keys {
            if !declared.contains(k) {
                problems.push(format!(
                    "{at}: query key {k:?} is not declared ({declared:?})"
                ));
            }
        }
        if site.dynamic_query && site.query_keys.is_empty() {
            problems.push(format!("{at}: query keys that this test cannot read"));
        }
        // Request body.
        let body = &op["requestBody"];
        let wanted = json_schema(body).cloned().unwrap_or(Value::Null);
        match (site.bodies.as_slice(), wanted.is_null()) {
            ([], true) => {}
            ([], false) => {
                if body["required"] == true {
                    problems.push(format!("{at}: sends no body; the operation requires one"));
                }
            }
            ([sent], false) => {
                let want = schema_name(&wanted);
                if *sent != want {
                    problems.push(format!("{at}: sends {sent}, the operation takes {want}"));
                }
            }
            (sent, _) => problems.push(format!(
                "{at}: sends {sent:?}; the operation takes no JSON body"
            )),
        }
        // Response.
        let success: Vec<(&String, &Value)> = op["responses"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(code, _)| code.starts_with('2'))
            .collect();
        let json_success = success.iter().find_map(|(_, r)| json_schema(r));
        match (site.returns.as_str(), json_success) {
            ("()", None) => {}
            ("()", Some(_)) => problems.push(format!("{at}: ignores the operation's JSON answer")),
            (t, Some(schema)) => {
                let want = schema_name(schema);
                if t != want {
                    problems.push(format!("{at}: decodes {t}, the operation answers {want}"));
                }
            }
            (t, None) => problems.push(format!("{at}: decodes {t}; the operation answers no JSON")),
        }
        if site.fetch_empty != (site.returns == "()") {
            problems.push(format!("{at}: `()` goes with fetch_empty"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
