//! Credentials a command line sends off the machine.
//!
//! A credential printer inside a substitution (`curl -H "Authorization:
//! Bearer $(gh auth token)" URL`) or a provider's token variable
//! (`curl -d "t=$GITHUB_TOKEN" URL`) feeds the command, not the
//! conversation, and that is how those tools are meant to be used, as long
//! as the credential goes to its own service. Sent anywhere else (another
//! host, a DNS name, a host only known at run time) it leaves the user's
//! hands. This module pairs the credentials a line computes with the hosts
//! its network commands (`curl`, `wget`, `nc`, `ssh`, `scp`, `dig`, `git`
//! URLs, …) reach, and reports each credential sent outside its home.

use super::{basename, Tok, Word};

/// The domains a credential belongs to, by the command that prints it or
/// the variable that holds it. A host equal to one of them or below it is
/// the credential's own service.
const HOMES: &[(&[&str], &[&str])] = &[
    (
        &[
            "gh",
            "GITHUB_TOKEN",
            "GH_TOKEN",
            "GH_ENTERPRISE_TOKEN",
            "GITHUB_PAT",
        ],
        &["github.com", "githubusercontent.com", "ghcr.io"],
    ),
    (
        &["aws", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"],
        &["amazonaws.com", "aws.amazon.com", "amazonaws.com.cn"],
    ),
    (
        &["gcloud", "GOOGLE_API_KEY", "GOOGLE_OAUTH_ACCESS_TOKEN"],
        &[
            "googleapis.com",
            "google.com",
            "run.app",
            "cloudfunctions.net",
        ],
    ),
    (
        &["az", "AZURE_CLIENT_SECRET"],
        &[
            "azure.com",
            "azure.net",
            "windows.net",
            "microsoft.com",
            "microsoftonline.com",
            "azurecr.io",
        ],
    ),
    (&["heroku", "HEROKU_API_KEY"], &["heroku.com"]),
    (
        &["npm", "pnpm", "yarn", "NPM_TOKEN"],
        &["npmjs.org", "npmjs.com"],
    ),
    (&["OPENAI_API_KEY"], &["openai.com"]),
    (&["ANTHROPIC_API_KEY"], &["anthropic.com"]),
    (&["GITLAB_TOKEN", "GL_TOKEN"], &["gitlab.com"]),
    (
        &["SLACK_TOKEN", "SLACK_BOT_TOKEN", "SLACK_API_TOKEN"],
        &["slack.com"],
    ),
    (&["STRIPE_SECRET_KEY", "STRIPE_API_KEY"], &["stripe.com"]),
    (&["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"], &["huggingface.co"]),
    (&["doctl", "DIGITALOCEAN_TOKEN"], &["digitalocean.com"]),
    (&["CLOUDFLARE_API_TOKEN"], &["cloudflare.com"]),
    (&["VERCEL_TOKEN"], &["vercel.com"]),
];

/// A credential the line computes: what it is (for messages) and the
/// domains it may be sent to (empty: none known, so no remote host is its
/// home: a Kubernetes secret, a password-manager entry).
#[derive(Debug)]
pub(super) struct Fed {
    pub(super) what: String,
    homes: Vec<String>,
}

impl Fed {
    /// A credential printed by `command` (as [`super::credential_printer`]
    /// shows it: its first word names the tool).
    pub(super) fn printed(command: &str) -> Fed {
        let mut words = command.split_whitespace();
        let tool = words.next().unwrap_or("");
        let mut homes: Vec<String> = home_of(basename(tool))
            .iter()
            .map(|h| h.to_string())
            .collect();
        // `gcloud auth print-identity-token --audiences=https://app.example`:
        // an identity token minted for that audience belongs there too.
        let mut rest = words.peekable();
        while let Some(w) = rest.next() {
            let aud = match w.strip_prefix("--audiences=") {
                Some(a) => Some(a),
                None if w == "--audiences" => rest.peek().copied(),
                None => None,
            };
            if let Some(a) = aud {
                homes.extend(a.split(',').map(host_of).filter(|h| !h.is_empty()));
            }
        }
        Fed {
            what: format!("$({command})"),
            homes,
        }
    }
}

fn home_of(key: &str) -> &'static [&'static str] {
    HOMES
        .iter()
        .find(|(keys, _)| keys.contains(&key))
        .map_or(&[], |(_, homes)| *homes)
}

/// Provider token variables referenced in `text` (`$GITHUB_TOKEN`,
/// `${GH_TOKEN}`), as credentials.
pub(super) fn provider_vars(text: &str, out: &mut Vec<Fed>) {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(off) = text[i..].find('$') {
        let start = i + off + 1;
        let braced = b.get(start) == Some(&b'{');
        let name_start = start + usize::from(braced);
        let len = b[name_start.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
            .count();
        let name = &text[name_start.min(text.len())..(name_start + len).min(text.len())];
        if !name.is_empty() {
            let homes = home_of(name);
            let known = HOMES.iter().any(|(keys, _)| keys.contains(&name));
            if known && name.bytes().all(|c| !c.is_ascii_lowercase()) {
                out.push(Fed {
                    what: format!("${name}"),
                    homes: homes.iter().map(|h| h.to_string()).collect(),
                });
            }
        }
        i = name_start.min(text.len()).max(start);
        if i >= text.len() {
            break;
        }
    }
}

/// Options of `curl`/`wget`/httpie-style clients whose value is not the
/// destination.
const CLIENT_VALUE_OPTS: &[&str] = &[
    "-H",
    "--header",
    "-d",
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-urlencode",
    "-F",
    "--form",
    "-o",
    "--output",
    "-u",
    "--user",
    "-A",
    "--user-agent",
    "-e",
    "--referer",
    "-X",
    "--request",
    "-b",
    "--cookie",
    "-c",
    "--cookie-jar",
    "-T",
    "--upload-file",
    "-K",
    "--config",
    "-w",
    "--write-out",
    "-m",
    "--max-time",
    "-O",
    "--output-document",
    "--header=",
    "--post-data",
    "--body-data",
    "--method",
    "-x",
    "--proxy",
    "--resolve",
    "--connect-to",
    "--cacert",
    "--cert",
    "--key",
    "-E",
];

/// The hosts a simple command reaches over the network: `None` when it is
/// not a network command, `Some` with `"?"` among them when some target is
/// only known at run time.
fn destinations(words: &[Word]) -> Option<Vec<String>> {
    // Skip assignments (`T=x curl …`) and `env`, `sudo`, `command`.
    let start = words.iter().position(|w| {
        let assignment = w.text.contains('=') && !w.quoted && !w.text.starts_with('-');
        let wrapper = matches!(
            w.text.as_str(),
            "env" | "sudo" | "command" | "exec" | "nohup"
        );
        !assignment && !wrapper
    })?;
    let name = basename(&words[start].text).to_ascii_lowercase();
    let args = &words[start + 1..];
    let positional = || {
        args.iter()
            .filter(|a| !a.text.starts_with('-'))
            .map(|a| a.text.as_str())
    };
    let mut hosts = Vec::new();
    match name.as_str() {
        "curl" | "wget" | "http" | "https" | "xh" | "xhs" | "curlie" | "aria2c" | "httpie" => {
            let mut skip = false;
            let mut next_is_url = false;
            for a in args {
                let t = a.text.as_str();
                if next_is_url {
                    hosts.push(host_of(t));
                    next_is_url = false;
                    continue;
                }
                if skip {
                    skip = false;
                    continue;
                }
                if t == "--url" {
                    next_is_url = true;
                } else if t.starts_with('-') {
                    skip = CLIENT_VALUE_OPTS.contains(&t);
                } else if t.contains("://") || looks_like_host(t) {
                    hosts.push(host_of(t));
                } else if name.starts_with("http") || name.starts_with("xh") {
                    // httpie: `http POST host/path Authorization:…`; items
                    // after the URL are headers and fields.
                    if hosts.is_empty() {
                        hosts.push(host_of(t));
                    }
                }
            }
            if hosts.is_empty() {
                hosts.push("?".into());
            }
        }
        "nc" | "ncat" | "netcat" | "telnet" | "ftp" | "sftp" | "ssh" | "mosh" => {
            match positional().next() {
                Some(t) => hosts.push(host_of(t)),
                None => hosts.push("?".into()),
            }
        }
        "socat" => {
            for t in positional() {
                // `TCP:host:port`, `OPENSSL:host:port`, `UDP-SENDTO:…`.
                let mut parts = t.split(':');
                let kind = parts.next().unwrap_or("").to_ascii_lowercase();
                if kind.starts_with("tcp") || kind.starts_with("udp") || kind.starts_with("openssl")
                {
                    hosts.push(parts.next().map_or("?".into(), host_of));
                }
            }
        }
        "scp" | "rsync" => {
            for t in positional() {
                if let Some((h, _)) = t.split_once(':') {
                    if !h.contains('/') {
                        hosts.push(host_of(h));
                    }
                }
            }
        }
        "dig" | "nslookup" | "host" | "ping" | "ping6" | "drill" | "traceroute" | "whois" => {
            hosts.extend(positional().filter(|t| !t.starts_with('@')).map(host_of));
        }
        "git" => {
            // A URL with the credential in it (`https://x:$(gh auth token)@host/r`).
            hosts.extend(
                args.iter()
                    .filter(|a| a.text.contains("://"))
                    .map(|a| host_of(&a.text)),
            );
        }
        "docker" | "podman" | "helm" | "oras" | "crane" | "skopeo" => {
            // `docker login -p "$(aws ecr get-login-password)" REGISTRY`.
            if positional().any(|t| t == "login") {
                let reg = positional().rfind(|t| *t != "login" && *t != "registry");
                hosts.push(reg.map_or("docker.io".into(), host_of));
            }
        }
        _ => return None,
    }
    (!hosts.is_empty()).then_some(hosts)
}

/// `host.tld[:port][/path]` without a scheme, as `curl` accepts it.
fn looks_like_host(t: &str) -> bool {
    let h = t.split(['/', '?']).next().unwrap_or("");
    let h = h.rsplit_once(':').map_or(h, |(a, p)| {
        if p.bytes().all(|c| c.is_ascii_digit()) {
            a
        } else {
            h
        }
    });
    (h.contains('.') || h == "localhost")
        && !h.starts_with('.')
        && h.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-')
        && h.rsplit('.').next().is_some_and(|tld| {
            tld.len() >= 2 && tld.bytes().all(|c| c.is_ascii_alphabetic()) || h == "localhost"
        })
}

/// The host part of a URL or `[user@]host[:port][/path]`, lowercase.
fn host_of(t: &str) -> String {
    let rest = t.split_once("://").map_or(t, |(_, r)| r);
    let rest = rest.split(['/', '?', '#']).next().unwrap_or("");
    let rest = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    let host = if rest.starts_with('[') {
        rest.split(']').next().unwrap_or("").trim_start_matches('[')
    } else {
        rest.split(':').next().unwrap_or("")
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether `host` is this machine or one of `homes` (or below one).
fn at_home<S: AsRef<str>>(host: &str, homes: &[S]) -> bool {
    if matches!(host, "localhost" | "127.0.0.1" | "::1") {
        return true;
    }
    let plain = host
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-');
    plain
        && homes.iter().any(|h| {
            let h = h.as_ref();
            host == h || host.strip_suffix(h).is_some_and(|p| p.ends_with('.'))
        })
}

/// Whether the credential `printer` prints, piped into `next`, goes only
/// to its own service: `next` is a network command whose every target is
/// the credential's home.
pub(super) fn sent_home(printer: &str, next: &[Word]) -> bool {
    let fed = Fed::printed(printer);
    !fed.homes.is_empty()
        && destinations(next).is_some_and(|hosts| hosts.iter().all(|h| at_home(h, &fed.homes)))
}

/// For each credential in `fed`, the network commands of `toks` that send
/// it away from its home, as messages (`$(gh auth token)` to evil.example).
pub(super) fn sends(toks: &[Tok], fed: &[Fed]) -> Vec<String> {
    if fed.is_empty() {
        return Vec::new();
    }
    let mut away: Vec<String> = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut flush = |words: &mut Vec<Word>| {
        if let Some(hosts) = destinations(words) {
            away.extend(hosts);
        }
        words.clear();
    };
    let mut redirect_target = false;
    for t in toks {
        match t {
            // `> me.json` names a file, not a host.
            Tok::Word(_) if redirect_target => redirect_target = false,
            Tok::Word(w) => words.push(w.clone()),
            Tok::Redir { .. } => redirect_target = true,
            Tok::Stdin(_) => {}
            Tok::Sep | Tok::Pipe | Tok::Open | Tok::Close => flush(&mut words),
        }
    }
    flush(&mut words);
    let mut out = Vec::new();
    for f in fed {
        if let Some(h) = away.iter().find(|h| !at_home(h, &f.homes)) {
            let to = if h == "?" {
                "a host only known at run time".to_string()
            } else {
                h.clone()
            };
            out.push(format!("{} sent to {to}", f.what));
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://user:pw@Api.GitHub.com:443/x?y"),
            "api.github.com"
        );
        assert_eq!(host_of("git@evil.example:r.git"), "evil.example");
        assert!(looks_like_host("evil.example/path"));
        assert!(looks_like_host("localhost:8080"));
        assert!(!looks_like_host("Authorization: Bearer x"));
        assert!(!looks_like_host("t=abc"));
        assert!(at_home("api.github.com", &["github.com"]));
        assert!(!at_home("github.com.evil.example", &["github.com"]));
        assert!(!at_home("notgithub.com", &["github.com"]));
        assert!(at_home::<&str>("127.0.0.1", &[]));
        let f =
            Fed::printed("gcloud auth print-identity-token --audiences=https://app.example.org");
        assert!(at_home("app.example.org", &f.homes));
        assert!(at_home("x.run.app", &f.homes));
    }

    #[test]
    fn provider_variables() {
        let mut v = Vec::new();
        provider_vars(
            "t=$GITHUB_TOKEN&x=${OPENAI_API_KEY} $HOME $API_TOKEN $",
            &mut v,
        );
        let names: Vec<&str> = v.iter().map(|f| f.what.as_str()).collect();
        assert_eq!(names, ["$GITHUB_TOKEN", "$OPENAI_API_KEY"]);
    }
}
