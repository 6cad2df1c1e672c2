fn main() {
    println!("ferry");
}
