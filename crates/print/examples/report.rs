//! Writes the sample period report (tables and bar charts) to a file, to look at:
//! `cargo run -p rightsdesk-print --example report -- /tmp/report.pdf`,
//! then e.g. `pdftoppm -png -r 70 /tmp/report.pdf /tmp/report`.

#[path = "../tests/common/mod.rs"]
mod common;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: report OUT.pdf")?;
    let rendered = rightsdesk_print::render_counted(&common::period_report())?;
    std::fs::write(&path, &rendered.bytes)?;
    println!("{path}: {} bytes, {} pages", rendered.bytes.len(), rendered.pages);
    Ok(())
}
