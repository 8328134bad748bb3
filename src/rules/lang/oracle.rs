//! The cel crate's interpreter as the oracle of the evaluator: random expressions of the rule
//! language over random registers, evaluated by both (a differential property test). Where the
//! interpreter gives a value, the evaluator must give the same one. `scripts/fuzz.sh` runs many
//! more cases (`PROPTEST_CASES`).

use cel::Context;
use proptest::prelude::*;

use super::value::{self, Value};

/// Expressions the evaluator gives a value for, on the fixed register of [`fixed_register`]; the
/// interpreter must agree.
const EXPRESSIONS: &[&str] = &[
    "1 == 1.0",
    "'a' == null",
    "null == null",
    "[1, 2] == [1, 2]",
    "['a'] == ['b']",
    "'b' > 'a'",
    "2 >= 3",
    "size('äö')",
    "'äbc'.size()",
    "'abc'.substring(1)",
    "'abc'.substring(1, 2)",
    "'a,b'.split(',')",
    "['a', 'b'].join('-')",
    "['a', 'b'].join()",
    "' x '.trim()",
    "'AbÄ'.lowerAscii() + 'AbÄ'.upperAscii()",
    "'héllo'.indexOf('l')",
    "'x'.indexOf('')",
    "'a b'.replace(' ', '_')",
    "'abc'.contains('b') && 'abc'.startsWith('a') && 'abc'.endsWith('c')",
    "'x' in ['x']",
    "'name' in register",
    "has(register.name)",
    "has(register.no_such_key)",
    "register.purposes.exists(p, p.id == 'x')",
    "register.purposes.all(p, has(p.legal_basis))",
    "register.purposes.exists_one(p, true)",
    "register.purposes.map(p, p.id)",
    "register.purposes.filter(p, size(p.legal_basis) > 0).size()",
    "register.purposes[0].legal_basis",
    "string(1) + string(2u)",
    "int('42')",
    "-5 + 3 * 2 / 4 % 3",
    "{'a': 1, 'b': 2}['b']",
    "{'a': 1}.a",
    "{'b': 1, 'a': 2}",
    "[1, 2, 3][1]",
    "'abc'.matches('^a')",
    "'a' + 'b'",
    "[1] + [2]",
    "true ? 1 : 'x'",
    "false || true",
    "!true",
    "size(register) > 1",
    "1.5 * 2.0",
];

fn fixed_register() -> serde_json::Value {
    serde_json::json!({
        "name": {"fi": "Rekisteri", "sv": "Register"},
        "purposes": [
            {"id": "a", "legal_basis": ["consent"]},
            {"id": "b", "legal_basis": []},
        ],
    })
}

/// `source` by both: (the evaluator's value, the interpreter's value), each `None` on an error.
fn both(source: &str, register: &serde_json::Value) -> (Option<String>, Option<String>) {
    let expr = crate::rules::validate::parse_for_run(source).expect(source);
    let cel_register = as_cel(register);
    let register = value::from_cel(&cel_register).expect("representable");
    let evaluator = super::eval::evaluate_for_test(&register, source, shown).ok();
    let interpreter = {
        let mut ctx = Context::with_env(crate::rules::load::ENV.clone());
        ctx.add_variable_from_value("register", cel_register);
        cel::Value::resolve(&expr, &ctx)
            .ok()
            .and_then(|v| value::from_cel(&v).map(|v| shown(&v)))
    };
    (evaluator, interpreter)
}

/// JSON as CEL values the way a register's YAML becomes them: integers are `int`, never `uint`.
fn as_cel(j: &serde_json::Value) -> cel::Value {
    use std::sync::Arc;
    match j {
        serde_json::Value::Null => cel::Value::Null,
        serde_json::Value::Bool(b) => cel::Value::Bool(*b),
        serde_json::Value::Number(n) => n.as_i64().map_or(cel::Value::Null, cel::Value::Int),
        serde_json::Value::String(s) => cel::Value::String(Arc::new(s.clone())),
        serde_json::Value::Array(a) => cel::Value::List(Arc::new(a.iter().map(as_cel).collect())),
        serde_json::Value::Object(o) => cel::Value::Map(cel::objects::Map {
            map: Arc::new(
                o.iter()
                    .map(|(k, v)| (cel::objects::Key::String(Arc::new(k.clone())), as_cel(v)))
                    .collect(),
            ),
        }),
    }
}

/// A value with the type of every part (`list[int 1, string '1']`): equal values, and only
/// they, show the same.
fn shown(v: &Value) -> String {
    match v {
        Value::List(items) => format!(
            "list[{}]",
            items.iter().map(shown).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(entries) => format!(
            "map{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("'{}': {}", &**k, shown(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Str(s) => format!("string '{}'", &**s),
        other => {
            let mut out = String::new();
            value::display(other, &mut out);
            format!("{} {out}", other.kind())
        }
    }
}

#[test]
fn the_table_gives_what_the_interpreter_gives() {
    let register = fixed_register();
    for source in EXPRESSIONS {
        let (evaluator, interpreter) = both(source, &register);
        let evaluator = evaluator.unwrap_or_else(|| panic!("{source}: the evaluator failed"));
        assert_eq!(Some(evaluator), interpreter, "{source}");
    }
}

/// A random register: a string `s`, an int `n`, a list of strings `l`, a map of ints `m`, a bool
/// `b`, and sometimes a missing one of them.
fn register() -> impl Strategy<Value = serde_json::Value> {
    (
        "[a-c,]{0,4}",
        -3i64..4,
        prop::collection::vec("[a-c1-2]{0,2}", 0..4),
        prop::collection::btree_map("[a-c]", -2i64..3, 0..3),
        any::<bool>(),
        prop::option::of("[sln]"),
    )
        .prop_map(|(s, n, l, m, b, drop)| {
            let mut r = serde_json::json!({"s": s, "n": n, "l": l, "m": m, "b": b});
            if let (Some(k), Some(o)) = (drop, r.as_object_mut()) {
                o.remove(&k);
            }
            r
        })
}

type Gen = BoxedStrategy<String>;

/// Random expressions of the rule language, by type, nested: (ints, strings, bools, lists).
fn typed() -> (Gen, Gen, Gen, Gen) {
    let int_leaf = prop_oneof![
        (-3i64..4).prop_map(|i| i.to_string()),
        Just("register.n".to_owned()),
        Just("size(register.l)".to_owned()),
        Just("size(register.m)".to_owned()),
    ];
    let str_leaf = prop_oneof![
        "[a-c,]{0,3}".prop_map(|s| format!("'{s}'")),
        Just("register.s".to_owned()),
    ];
    let ints = int_leaf
        .prop_recursive(2, 8, 2, |i| {
            prop_oneof![
                (i.clone(), i.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
                (i.clone(), i.clone()).prop_map(|(a, b)| format!("({a} - {b})")),
                (i.clone(), i.clone()).prop_map(|(a, b)| format!("({a} * {b})")),
                i.prop_map(|a| format!("-({a})")),
            ]
        })
        .boxed();
    let strs = (str_leaf, ints.clone())
        .prop_flat_map(|(s, i)| {
            prop_oneof![
                Just(s.clone()),
                Just(format!("{s}.lowerAscii()")),
                Just(format!("({s} + 'x')")),
                Just(format!("string({i})")),
                Just(format!("{s}.trim()")),
                Just(format!("{s}.replace(',', '-')")),
                Just("register.l.join(',')".to_owned()),
            ]
        })
        .boxed();
    let lists = strs
        .clone()
        .prop_flat_map(|s| {
            prop_oneof![
                Just("register.l".to_owned()),
                Just(format!("[{s}, 'a']")),
                Just(format!("{s}.split(',')")),
                Just(format!("register.l.map(x, x + {s})")),
                Just(format!("register.l.filter(x, x != {s})")),
                Just(format!("(register.l + [{s}])")),
            ]
        })
        .boxed();
    let bool_leaf = prop_oneof![
        Just("register.b".to_owned()),
        "[slnmbx]".prop_map(|k| format!("has(register.{k})")),
        (ints.clone(), ints.clone()).prop_map(|(a, b)| format!("({a} < {b})")),
        (ints.clone(), ints.clone()).prop_map(|(a, b)| format!("({a} == {b})")),
        (strs.clone(), strs.clone()).prop_map(|(a, b)| format!("({a} == {b})")),
        (strs.clone(), strs.clone()).prop_map(|(a, b)| format!("({a} <= {b})")),
        (strs.clone(), strs.clone()).prop_map(|(a, b)| format!("{a}.contains({b})")),
        (strs.clone(), strs.clone()).prop_map(|(a, b)| format!("{a}.startsWith({b})")),
        (strs.clone(), lists.clone()).prop_map(|(a, b)| format!("({a} in {b})")),
        strs.clone()
            .prop_map(|a| format!("register.l.exists(x, x == {a})")),
        strs.clone()
            .prop_map(|a| format!("register.l.all(x, x != {a})")),
        strs.clone()
            .prop_map(|a| format!("register.m.exists(k, k == {a})")),
        ints.clone()
            .prop_map(|a| format!("register.m.all(k, register.m[k] < {a})")),
        (lists.clone(), lists.clone()).prop_map(|(a, b)| format!("({a} == {b})")),
    ];
    let bools = bool_leaf
        .prop_recursive(2, 8, 2, |b| {
            prop_oneof![
                (b.clone(), b.clone()).prop_map(|(x, y)| format!("({x} && {y})")),
                (b.clone(), b.clone()).prop_map(|(x, y)| format!("({x} || {y})")),
                b.clone().prop_map(|x| format!("!{x}")),
                (b.clone(), b.clone(), b).prop_map(|(c, x, y)| format!("({c} ? {x} : {y})")),
            ]
        })
        .boxed();
    (ints, strs, bools, lists)
}

fn expression() -> impl Strategy<Value = String> {
    let (ints, strs, bools, lists) = typed();
    prop_oneof![ints, strs, bools.clone(), bools, lists]
}

proptest! {
    #![proptest_config(ProptestConfig {
        // `cargo test` runs a few; scripts/fuzz.sh sets PROPTEST_CASES for many more.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_evaluator_gives_what_the_interpreter_gives(
        register in register(),
        source in expression(),
    ) {
        let (evaluator, interpreter) = both(&source, &register);
        if let Some(i) = interpreter {
            prop_assert_eq!(evaluator, Some(i), "{}", source);
        }
    }
}

/// The differential test is not vacuous: on a fixed seed, most generated expressions get a value
/// from the interpreter, and those are compared.
#[test]
fn most_generated_expressions_are_compared() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut compared, mut total) = (0, 0);
    for _ in 0..500 {
        let register = register()
            .new_tree(&mut runner)
            .expect("a register")
            .current();
        let source = expression()
            .new_tree(&mut runner)
            .expect("an expression")
            .current();
        total += 1;
        if let (Some(_), Some(_)) = both(&source, &register) {
            compared += 1;
        }
    }
    assert!(
        compared * 10 > total * 7,
        "only {compared} of {total} compared"
    );
}
