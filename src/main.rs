fn main() {
    println!("{}", serde_json::to_string_pretty(&seloste::register::json_schema()).unwrap());
}
