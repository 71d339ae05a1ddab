//! Conversion of botocore `documentation` HTML fragments into rustdoc Markdown.
//!
//! botocore documents operations, shapes and members with loosely written HTML
//! (`<p>`, `<code>`, `<a href>`, `<ul>`, `<note>`, stray placeholders such as
//! `<region>`, unbalanced tags, ...). [`html_to_markdown`] turns such a fragment
//! into Markdown lines that render well in rustdoc and never trigger rustdoc
//! lints (`broken_intra_doc_links`, `bare_urls`, `invalid_html_tags`) nor
//! create doctests.
//!
//! The converter is hand written and runs in three stages, one module each:
//! `tokenize` splits the fragment into text and tags, `block` lays out
//! paragraphs, lists, tables, notes and code blocks as lines, and `inline`
//! renders emphasis, links, code spans and escaped text within a paragraph.
//! It never panics and runs in (near) linear time on any input.

mod block;
mod inline;
mod tokenize;

use block::Renderer;
use tokenize::tokenize;

/// Converts a botocore HTML documentation fragment to rustdoc Markdown lines (no leading `///`).
///
/// Paragraphs are single lines separated by one empty line; list items are
/// single lines (`- item`, `1. item`, nested lists indented under their
/// parent item). The result has no leading or trailing empty lines, no
/// trailing whitespace and no control characters; empty or whitespace-only
/// input gives an empty vector.
pub fn html_to_markdown(html: &str) -> Vec<String> {
    let tokens = tokenize(html);
    let mut r = Renderer::default();
    for tok in tokens {
        r.token(tok);
    }
    r.finish()
}

#[cfg(test)]
mod tests {
    use super::inline::is_marker;
    use super::*;

    /// The converted lines (shared by the tests of every stage).
    pub(super) fn md(html: &str) -> Vec<String> {
        html_to_markdown(html)
    }

    /// The converted lines joined with newlines.
    pub(super) fn one(html: &str) -> String {
        md(html).join("\n")
    }

    #[test]
    fn empty_input() {
        assert!(md("").is_empty());
        assert!(md("  \n\t ").is_empty());
        assert!(md("<p> </p><p></p>").is_empty());
    }

    #[test]
    fn output_invariants() {
        let lines = md("<p>a</p>\n\n<ul><li>b</li></ul>\n<p>  c  </p>");
        assert_eq!(lines, vec!["a", "", "- b", "", "c"]);
        for l in &lines {
            assert_eq!(l.trim_end(), l);
        }
    }

    /// Real botocore documentation strings (EC2 and S3).
    const EC2_RUN_INSTANCES: &str = "<p>Launches the specified number of instances using an AMI for which you have permissions.</p> <p>You can specify a number of options, or leave the default options. The following rules apply:</p> <ul> <li> <p>If you don't specify a subnet ID, we choose a default subnet from your default VPC for you. If you don't have a default VPC, you must specify a subnet ID in the request.</p> </li> <li> <p>Not all instance types support IPv6 addresses. For more information, see <a href=\"https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-types.html\">Instance types</a>.</p> </li> </ul> <p>You can create a <a href=\"https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-launch-templates.html\">launch template</a>, which is a resource that contains the parameters to launch an instance. When you launch an instance using <a>RunInstances</a>, you can specify the launch template instead of specifying the launch parameters.</p> <p> <code>RunInstances</code> is subject to both request rate limiting and resource rate limiting. For more information, see <a href=\"https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html\">Request throttling</a>.</p>";

    const S3_PUT_OBJECT: &str = "<important> <p>End of support notice: As of October 1, 2025, Amazon S3 has discontinued support for Email Grantee Access Control Lists (ACLs). If you attempt to use an Email Grantee ACL in a request after October 1, 2025, the request will receive an <code>HTTP 405</code> (Method Not Allowed) error.</p> </important> <p>Adds an object to a bucket.</p> <note> <ul> <li> <p> <b>Directory buckets</b> - For directory buckets, you must make requests for this API operation to the Zonal endpoint. These endpoints support virtual-hosted-style requests in the format <code>https://<i>amzn-s3-demo-bucket</i>.s3express-<i>zone-id</i>.<i>region-code</i>.amazonaws.com/<i>key-name</i> </code>. Path-style requests are not supported. For more information, see <a href=\"https://docs.aws.amazon.com/AmazonS3/latest/userguide/endpoint-directory-buckets-AZ.html\">Regional and Zonal endpoints for directory buckets in Availability Zones</a> in the <i>Amazon S3 User Guide</i>.</p> </li> </ul> </note> <ul> <li> <p> <b>If-None-Match</b> - Uploads the object only if the object key name does not already exist in the specified bucket. Otherwise, Amazon S3 returns a <code>412 Precondition Failed</code> error.</p> <p>Expects the * character (asterisk).</p> <note> <p>This functionality is not supported for S3 on Outposts.</p> </note> </li> </ul>";

    const EC2_FILTERS: &str = "<p>The filters.</p> <ul> <li> <p> <code>affinity</code> - The affinity setting for an instance running on a Dedicated Host (<code>default</code> | <code>host</code>).</p> </li> <li> <p> <code>tag</code>:&lt;key&gt; - The key/value combination of a tag assigned to the resource. Use the tag key in the filter name and the tag value as the filter value. For example, to find all resources that have a tag with the key <code>Owner</code> and the value <code>TeamA</code>, specify <code>tag:Owner</code> for the filter name and <code>TeamA</code> for the filter value.</p> </li> <li> <p> <code>instance-state-code</code> - The state of the instance, as a 16-bit unsigned integer. The valid values are 0 (pending), 16 (running), 32 (shutting-down).</p> </li> </ul>";

    const EC2_IMPORT_INSTANCE: &str = "<p>Creates an import instance task using metadata from the specified disk image. After importing the image, you then upload it using the <function>ec2-import-volume</function> command in the EC2 command line tools. For more information, see <ulink url=\"http://docs.aws.amazon.com/AWSEC2/latest/UserGuide/UploadingYourInstancesandVolumes.html\">Using the Command Line Tools to Import Your Virtual Machine to Amazon EC2</ulink> in the <emphasis>Amazon Elastic Compute Cloud User Guide</emphasis>.</p> <p>The device name of the root device (for example, <filename>/dev/sda1</filename> or <filename>xvda</filename>). Array of [Ec2InstanceConnectEndpoint] objects.</p>";

    /// Checks the output invariants: no HTML left, no control characters, no stray blank lines.
    fn assert_clean(lines: &[String]) {
        for l in lines {
            assert!(!l.contains("<p>") && !l.contains("</p>"), "{l}");
            assert!(!l.contains("<code>") && !l.contains("<a "), "{l}");
            assert_eq!(l.trim_end(), l.as_str());
            assert!(!l.chars().any(|c| c.is_control() || is_marker(c)), "{l:?}");
        }
        assert!(lines.first().is_none_or(|l| !l.is_empty()));
        assert!(lines.last().is_none_or(|l| !l.is_empty()));
        assert!(!lines.windows(2).any(|w| w[0].is_empty() && w[1].is_empty()));
    }

    #[test]
    fn real_ec2_run_instances() {
        let lines = md(EC2_RUN_INSTANCES);
        assert_clean(&lines);
        assert_eq!(
            lines[0],
            "Launches the specified number of instances using an AMI for which you have permissions."
        );
        assert!(lines
            .iter()
            .any(|l| l.starts_with("- If you don't specify a subnet ID")));
        assert!(lines.iter().any(|l| l.contains(
            "[Instance types](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-types.html)."
        )));
        assert!(lines
            .iter()
            .any(|l| l.starts_with("`RunInstances` is subject")));
        assert!(lines.iter().any(|l| l.contains("using RunInstances, you")));
    }

    #[test]
    fn real_s3_put_object() {
        let lines = md(S3_PUT_OBJECT);
        assert_clean(&lines);
        assert!(lines[0].starts_with("**Important:** End of support notice:"));
        assert!(lines.contains(&"**Note:**".to_string()));
        assert!(lines.iter().any(|l| l.starts_with("- **Directory buckets** - For directory")
            && l.contains("`https://amzn-s3-demo-bucket.s3express-zone-id.region-code.amazonaws.com/key-name`")
            && l.contains("in the *Amazon S3 User Guide*.")));
        assert!(lines
            .iter()
            .any(|l| l.contains("Expects the \\* character (asterisk).")
                && l.ends_with(
                    "**Note:** This functionality is not supported for S3 on Outposts."
                )));
    }

    #[test]
    fn real_ec2_filters_and_docbook() {
        let lines = md(EC2_FILTERS);
        assert_clean(&lines);
        assert!(lines.contains(&"- `tag`:&lt;key&gt; - The key/value combination of a tag assigned to the resource. Use the tag key in the filter name and the tag value as the filter value. For example, to find all resources that have a tag with the key `Owner` and the value `TeamA`, specify `tag:Owner` for the filter name and `TeamA` for the filter value.".to_string()));
        assert!(lines.iter().any(|l| l.contains("(`default` | `host`)")));
        let lines = md(EC2_IMPORT_INSTANCE);
        assert_clean(&lines);
        assert!(lines[0].contains("the `ec2-import-volume` command"));
        assert!(lines[0].contains("[Using the Command Line Tools to Import Your Virtual Machine to Amazon EC2](http://docs.aws.amazon.com/AWSEC2/latest/UserGuide/UploadingYourInstancesandVolumes.html)"));
        assert!(lines[0].contains("*Amazon Elastic Compute Cloud User Guide*"));
        assert!(
            lines[2].contains("`/dev/sda1`")
                && lines[2].contains("\\[Ec2InstanceConnectEndpoint\\]")
        );
    }

    /// The line with its code spans removed.
    fn outside_code(l: &str) -> String {
        let b = l.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'\\' {
                out.extend_from_slice(&b[i..(i + 2).min(b.len())]);
                i += 2;
                continue;
            }
            if b[i] == b'`' {
                let n = b[i..].iter().take_while(|&&c| c == b'`').count();
                let mut j = i + n;
                let mut end = None;
                while j < b.len() {
                    let m = b[j..].iter().take_while(|&&c| c == b'`').count();
                    if m == n {
                        end = Some(j + m);
                        break;
                    }
                    j += m.max(1);
                }
                match end {
                    Some(e) => i = e,
                    None => {
                        out.extend_from_slice(&b[i..i + n]);
                        i += n;
                    }
                }
                continue;
            }
            out.push(b[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Removes leading list markers (`- `, `12. `, also nested like `- 1. `).
    fn strip_list_markers(mut t: &str) -> &str {
        loop {
            let next = strip_list_marker(t);
            if next.len() == t.len() {
                return t;
            }
            t = next;
        }
    }

    /// Removes a leading `- ` or `12. ` list marker.
    fn strip_list_marker(t: &str) -> &str {
        if t == "-" {
            return "";
        }
        if let Some(r) = t.strip_prefix("- ") {
            return r.trim_start();
        }
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            if let Some(r) = t[digits..].strip_prefix(". ") {
                return r.trim_start();
            }
            if &t[digits..] == "." {
                return "";
            }
        }
        t
    }

    /// Deterministic pseudo random generator (xorshift) for the fuzz test.
    struct Rng(u64);

    impl Rng {
        /// The next pseudo random number.
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        /// One of `items`, chosen pseudo randomly.
        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[(self.next() % items.len() as u64) as usize]
        }
    }

    #[test]
    fn robustness_messy_inputs() {
        let pieces = [
            "<p>",
            "</p>",
            "<ul>",
            "</ul>",
            "<ol>",
            "</ol>",
            "<li>",
            "</li>",
            "<b>",
            "</b>",
            "<i>",
            "</i>",
            "<code>",
            "</code>",
            "<a href=\"https://x.io/é\">",
            "<a href=\"x",
            "</a>",
            "<a>",
            "<note>",
            "</note>",
            "<pre>",
            "</pre>",
            "<dl>",
            "<dt>",
            "</dt>",
            "<dd>",
            "</dd>",
            "<br/>",
            "<table>",
            "<tr>",
            "<td>",
            "<h2>",
            "</h2>",
            "<region>",
            "<x y='1'/>",
            "<",
            ">",
            "&",
            "&amp;",
            "&#x1F600;",
            "&#99999999;",
            "&lt;p&gt;",
            "é",
            "😀",
            "字",
            " ",
            "\n",
            "\t",
            "text",
            "[x]",
            "*",
            "_",
            "`",
            "\\",
            "https://a.b/c",
            "1. ",
            "- ",
            "# ",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "</",
            "<p",
            "\u{FDD0}",
            "\u{0}",
            "\r",
            "!",
            "|",
            "```",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..3000 {
            let n = (rng.next() % 40) as usize;
            let mut s = String::new();
            for _ in 0..n {
                s.push_str(rng.pick(&pieces));
            }
            let lines = html_to_markdown(&s);
            let mut fence: Option<String> = None;
            for l in &lines {
                let t = l.trim_start();
                if let Some(f) = &fence {
                    if t == f {
                        fence = None;
                    }
                    continue;
                }
                let m = strip_list_markers(t.trim());
                if m.starts_with("```") {
                    fence = Some(m.trim_end_matches("text").to_string());
                    continue;
                }
                assert!(!outside_code(l).contains("<p>"), "{s:?} -> {l:?}");
                assert!(
                    !l.chars().any(|c| c.is_control() || is_marker(c)),
                    "{s:?} -> {l:?}"
                );
                assert_eq!(l.trim_end(), l.as_str(), "{s:?}");
            }
            assert!(lines.first().is_none_or(|l| !l.is_empty()), "{s:?}");
            assert!(lines.last().is_none_or(|l| !l.is_empty()), "{s:?}");
            // Every prefix of the input must also convert (truncated tags).
            let cut = (rng.next() as usize) % (s.len() + 1);
            if let Some(prefix) = s.get(..cut) {
                let _ = html_to_markdown(prefix);
            }
        }
    }

    #[test]
    fn pathological_inputs() {
        let n = 20_000;
        let cases = [
            "<a ".repeat(n),
            "<a href=\"".repeat(n),
            "<ul><li>x".repeat(n),
            "<ol><li><dl><dt>".repeat(n),
            "<b><i>".repeat(n),
            "<b>x</b>".repeat(n),
            "<!--".repeat(n),
            "<pre>".repeat(n),
            "<code>".repeat(n),
            "&#".repeat(n),
            "<".repeat(n),
        ];
        for case in &cases {
            let lines = html_to_markdown(case);
            assert!(lines.iter().all(|l| l.trim_end() == l));
        }
        // List nesting is capped, so indentation stays bounded.
        let deep = html_to_markdown(&"<ul><li>x".repeat(100));
        assert!(deep.iter().all(|l| l.len() < 64), "{deep:?}");
    }

    #[test]
    fn robustness_random_bytes() {
        let mut rng = Rng(12345);
        for _ in 0..2000 {
            let n = (rng.next() % 64) as usize;
            let bytes: Vec<u8> = (0..n)
                .map(|_| {
                    let r = rng.next();
                    if r & 3 == 0 {
                        b"<>&/;#\"'=pab"[(r as usize / 3) % 12]
                    } else {
                        r as u8
                    }
                })
                .collect();
            let s = String::from_utf8_lossy(&bytes);
            let lines = html_to_markdown(&s);
            assert!(lines.iter().all(|l| !l.contains("<p>")));
        }
    }
}
