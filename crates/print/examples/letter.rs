//! Writes the sample referral letter to a file, to look at:
//! `cargo run -p rightsdesk-print --example letter -- /tmp/letter.pdf [pages: 1|3] [--logo]`,
//! then e.g. `pdftoppm -png -r 60 /tmp/letter.pdf /tmp/letter`.

#[path = "../tests/common/mod.rs"]
mod common;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().ok_or("usage: letter OUT.pdf [1|3] [--logo]")?;
    let extra = if args.iter().any(|a| a == "3") { 14 } else { 0 };
    let logo = args.iter().any(|a| a == "--logo").then(|| common::logo_png(96));
    let pdf = rightsdesk_print::render(&common::referral_letter(extra, logo))?;
    std::fs::write(path, &pdf)?;
    println!("{path}: {} bytes", pdf.len());
    Ok(())
}
