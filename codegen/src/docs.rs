//! TEMPORARY stub
pub fn html_to_markdown(html: &str) -> Vec<String> {
    let t = html.replace("<p>", "").replace("</p>", "\n");
    t.lines()
        .map(|l| l.trim().replace('[', "\\[").replace(']', "\\]"))
        .filter(|l| !l.is_empty())
        .collect()
}
pub fn summary(lines: &[String]) -> String {
    lines.first().cloned().unwrap_or_default()
}
