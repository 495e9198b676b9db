//! Unit tests of the detect-secrets keyword mirror (synthetic values).

use super::*;

fn values(filename: &str, line: &str) -> Vec<String> {
    values_in_line(filename, line.as_bytes())
        .into_iter()
        .map(|r| line[r].to_string())
        .collect()
}

#[test]
fn config_files_take_the_rest_of_the_line() {
    assert_eq!(
        values("a.yaml", "password = Tr0ub4dor 3-horse"),
        ["Tr0ub4dor 3-horse"]
    );
    assert_eq!(
        values("a.yaml", "password: Tr0ub4dor`3-horse"),
        ["Tr0ub4dor`3-horse"]
    );
    assert_eq!(values("a.yaml", "password = v4lue,"), ["v4lue"]);
    assert_eq!(values("a.yaml", "password = \"v4l ue\""), ["v4l ue"]);
    assert!(values("a.yaml", "password = \"it's\"").is_empty());
    assert!(values("a.yaml", "password = $x").is_empty());
}

#[test]
fn other_files_need_quotes() {
    assert_eq!(
        values("a.py", "password = \"Tr0ub4dor(3 x\""),
        ["Tr0ub4dor(3 x"]
    );
    assert!(values("a.py", "password = Tr0ub4dor").is_empty());
    assert_eq!(values("a.js", "x = {\"api_key\": \"k3y\"}"), ["k3y"]);
    assert_eq!(values("a.py", "if \"s3cr3t\" == my_password:"), ["s3cr3t"]);
    assert_eq!(values("a.txt", "private_key \"abc\";"), ["abc"]);
}

#[test]
fn c_family_and_go() {
    assert_eq!(
        values("a.c", "char password[25] = \"hunter2\";"),
        ["hunter2"]
    );
    assert_eq!(
        values("a.cpp", "std::string secret(\"hunter2\");"),
        ["hunter2"]
    );
    assert!(values("a.cpp", "std::string SECRET(\"hunter2\");").is_empty());
    assert_eq!(values("a.go", "password := \"hunter2\""), ["hunter2"]);
}

#[test]
fn the_widest_value_covers_what_either_reading_takes() {
    let line = b"password = Tr0ub4dor 3-horse-battery  ";
    let r = widest_value_at(line, 11).unwrap();
    assert_eq!(&line[r], b"Tr0ub4dor 3-horse-battery");
    let line = b"PASSWORD='Tr0ub4dor 3'";
    assert_eq!(&line[widest_value_at(line, 10).unwrap()], b"Tr0ub4dor 3");
    assert_eq!(widest_value_at(b"password = x", 0), None);
}

#[test]
fn ini_rereading_of_unknown_files() {
    let v = |l: &str| {
        ini_value("x.env", l.as_bytes(), true).map(|(v, _)| String::from_utf8(v).unwrap())
    };
    assert_eq!(
        v("password=Tr0ub4dor{3-horse").as_deref(),
        Some("Tr0ub4dor{3-horse")
    );
    assert_eq!(
        v("password=Tr0ub4dor\"3-horse").as_deref(),
        Some("Tr0ub4dor\\")
    );
    assert_eq!(v("password=Tr0ub4dor%3-horse"), None);
    assert_eq!(v("password=Tr0ub4dor%%3").as_deref(), Some("Tr0ub4dor%3"));
    assert_eq!(v("password=Tr0ub4dor'3"), None);
    assert_eq!(ini_value("x.py", b"password=abc", true), None);
    let (v, _) = ini_value("x.ini", b"password = Tr0ub4dor\"3", false).unwrap();
    assert_eq!(v, b"Tr0ub4dor\\");
}

#[test]
fn yaml_values_as_the_parser_reads_them() {
    let v = |l: &str| {
        yaml_value("a.yml", l.as_bytes())
            .flatten()
            .map(|(v, _)| String::from_utf8(v).unwrap())
    };
    assert_eq!(
        v("password: Tr0ub4dor\"3-horse").as_deref(),
        Some("Tr0ub4dor\\")
    );
    assert_eq!(v("password: Tr0ub4dor'3-horse"), None);
    assert_eq!(
        v("  password: 'Tr0ub4dor 3' # old").as_deref(),
        Some("Tr0ub4dor 3")
    );
    assert_eq!(yaml_value("a.yml", b"password = x"), None);
    assert_eq!(yaml_value("a.py", b"password: abc123"), None);
}
