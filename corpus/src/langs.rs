//! File kinds: filler text in each language or format, and how a planted
//! value is written in it.
//!
//! Filler comes from small templates with `$` placeholders (see [`expand`]),
//! so the output has the texture of real code and config: identifiers,
//! comments, numbers, URLs, UUIDs, git SHAs and hex colours.

use crate::rng::Rng;
use crate::tokens::{self, Plant};
use crate::words::{ADJECTIVES, CITIES, FIRST_NAMES, HOSTS, LAST_NAMES, VERBS, WORDS};

/// A kind of file the generator writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// `.rs`
    Rust,
    /// `.py`
    Python,
    /// `.js`
    JavaScript,
    /// `.ts`
    TypeScript,
    /// `.go`
    Go,
    /// `.java`
    Java,
    /// `.c` / `.h`
    C,
    /// `.sh`
    Shell,
    /// `.yaml`
    Yaml,
    /// `.json`
    Json,
    /// `.toml`
    Toml,
    /// `.env`
    Env,
    /// `.properties`
    Properties,
    /// `Dockerfile`
    Dockerfile,
    /// `.tf`
    Terraform,
    /// `.sql`
    Sql,
    /// `.md`
    Markdown,
    /// `.csv` export of customers (PII-rich)
    Csv,
    /// `.log`
    Log,
    /// `.css`
    Css,
    /// `package-lock.json`
    PackageLock,
    /// `Cargo.lock`
    CargoLock,
    /// `go.sum`
    GoSum,
}

/// Kinds and their relative weights in a generated tree.
pub const WEIGHTS: &[(FileKind, u32)] = &[
    (FileKind::Rust, 10),
    (FileKind::Python, 12),
    (FileKind::JavaScript, 9),
    (FileKind::TypeScript, 9),
    (FileKind::Go, 9),
    (FileKind::Java, 7),
    (FileKind::C, 5),
    (FileKind::Shell, 4),
    (FileKind::Yaml, 7),
    (FileKind::Json, 5),
    (FileKind::Toml, 3),
    (FileKind::Env, 2),
    (FileKind::Properties, 2),
    (FileKind::Dockerfile, 2),
    (FileKind::Terraform, 3),
    (FileKind::Sql, 3),
    (FileKind::Markdown, 5),
    (FileKind::Csv, 1),
    (FileKind::Log, 2),
    (FileKind::Css, 2),
    (FileKind::PackageLock, 1),
    (FileKind::CargoLock, 1),
    (FileKind::GoSum, 1),
];

/// Source-code kinds only (for the benches' "source-like text").
pub const SOURCE_KINDS: &[FileKind] = &[
    FileKind::Rust,
    FileKind::Python,
    FileKind::JavaScript,
    FileKind::TypeScript,
    FileKind::Go,
    FileKind::Java,
    FileKind::C,
    FileKind::Shell,
    FileKind::Yaml,
    FileKind::Json,
    FileKind::Toml,
    FileKind::Markdown,
    FileKind::Css,
    FileKind::Sql,
    FileKind::Terraform,
];

fn snake(rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => rng.pick(WORDS).to_string(),
        1 => format!("{}_{}", rng.pick(ADJECTIVES), rng.pick(WORDS)),
        _ => format!("{}_{}", rng.pick(VERBS), rng.pick(WORDS)),
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// `snake_case` → `camelCase`.
pub fn to_camel(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('_').filter(|p| !p.is_empty()).enumerate() {
        let p = part.to_ascii_lowercase();
        out.push_str(&if i == 0 { p } else { cap(&p) });
    }
    out
}

fn pascal(rng: &mut Rng) -> String {
    cap(&to_camel(&snake(rng)))
}

fn sentence(rng: &mut Rng) -> String {
    let n = rng.urange(4, 12);
    let mut w = Vec::with_capacity(n);
    for i in 0..n {
        w.push(match i % 3 {
            0 => *rng.pick(VERBS),
            1 => *rng.pick(ADJECTIVES),
            _ => *rng.pick(WORDS),
        });
    }
    let s = w.join(" ");
    let tail = *rng.pick(&[
        "",
        " before retrying",
        " if the lock is held",
        " (see #1234)",
        " for now",
    ]);
    format!("{}{tail}", cap(&s))
}

fn url(rng: &mut Rng) -> String {
    format!(
        "https://{}/{}/{}-{}",
        rng.pick(HOSTS),
        rng.pick(WORDS),
        rng.pick(VERBS),
        rng.pick(WORDS)
    )
}

fn date(rng: &mut Rng) -> String {
    format!(
        "20{:02}-{:02}-{:02}",
        rng.range(19, 26),
        rng.range(1, 12),
        rng.range(1, 28)
    )
}

fn timestamp(rng: &mut Rng) -> String {
    format!(
        "{}T{:02}:{:02}:{:02}.{:03}Z",
        date(rng),
        rng.range(0, 23),
        rng.range(0, 59),
        rng.range(0, 59),
        rng.range(0, 999)
    )
}

/// Expands a template. Placeholders: `$s` snake_case identifier, `$c`
/// camelCase, `$P` PascalCase, `$U` UPPER_SNAKE, `$v` verb, `$w` word, `$a`
/// adjective, `$t` sentence, `$u` URL, `$h` git SHA, `$i` UUID, `$x` hex
/// colour, `$n` integer, `$f` float, `$d` date, `$T` timestamp, `$N` person
/// name, `$C` city, `$$` a dollar sign.
pub fn expand(rng: &mut Rng, tpl: &str) -> String {
    let mut out = String::with_capacity(tpl.len() + 32);
    let mut chars = tpl.chars();
    while let Some(ch) = chars.next() {
        if ch != '$' {
            out.push(ch);
            continue;
        }
        match chars.next() {
            Some('s') => out.push_str(&snake(rng)),
            Some('c') => out.push_str(&to_camel(&snake(rng))),
            Some('P') => out.push_str(&pascal(rng)),
            Some('U') => out.push_str(&snake(rng).to_ascii_uppercase()),
            Some('v') => out.push_str(*rng.pick(VERBS)),
            Some('w') => out.push_str(*rng.pick(WORDS)),
            Some('a') => out.push_str(*rng.pick(ADJECTIVES)),
            Some('t') => out.push_str(&sentence(rng)),
            Some('u') => out.push_str(&url(rng)),
            Some('h') => out.push_str(&tokens::hex(rng, 40)),
            Some('i') => out.push_str(&tokens::uuid(rng)),
            Some('x') => {
                out.push('#');
                out.push_str(&tokens::hex(rng, 6));
            }
            Some('n') => {
                let n = match rng.below(4) {
                    0 => rng.range(0, 9),
                    1 => rng.range(10, 999),
                    2 => rng.range(1000, 65535),
                    _ => rng.range(100_000, 99_999_999),
                };
                out.push_str(&n.to_string());
            }
            Some('f') => out.push_str(&format!("{}.{:02}", rng.range(0, 999), rng.range(0, 99))),
            Some('d') => out.push_str(&date(rng)),
            Some('T') => out.push_str(&timestamp(rng)),
            Some('N') => {
                out.push_str(*rng.pick(FIRST_NAMES));
                out.push(' ');
                out.push_str(*rng.pick(LAST_NAMES));
            }
            Some('C') => out.push_str(*rng.pick(CITIES)),
            Some('$') => out.push('$'),
            Some(other) => {
                out.push('$');
                out.push(other);
            }
            None => out.push('$'),
        }
    }
    out
}

const RUST: &[&str] = &[
    "/// $t.\npub fn $s(&self, $s: &$P) -> Result<$P, Error> {\n    let $s = self.$s.get(&$s.id).ok_or(Error::NotFound)?;\n    // $t\n    if $s.len() > $n {\n        return Err(Error::Limit($n));\n    }\n    Ok($P::from($s))\n}\n",
    "#[derive(Clone, Debug, Default)]\npub struct $P {\n    /// $t.\n    pub $s: u64,\n    pub $s: Option<String>,\n    $s: Vec<$P>,\n}\n",
    "use crate::$s::{$P, $P};\nuse std::collections::HashMap;\n",
    "const $U: usize = $n;\nconst $U: &str = \"$u\";\n",
    "impl $P {\n    /// $t.\n    pub fn new($s: usize) -> Self {\n        Self { $s, ..Default::default() }\n    }\n\n    fn $s(&mut self) {\n        for (i, $s) in self.$s.iter().enumerate() {\n            tracing::debug!(index = i, \"$v $w\");\n        }\n    }\n}\n",
    "#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn $s() {\n        let $s = $P::new($n);\n        assert_eq!($s.$s(), $n);\n    }\n}\n",
    "// Fixed in $h ($d).\nlet $s = match $s {\n    Some(v) => v,\n    None => return Ok(()),\n};\n",
];

const PYTHON: &[&str] = &[
    "def $s(self, $s, $s=None):\n    \"\"\"$t.\"\"\"\n    if $s is None:\n        $s = self.$s.get($n)\n    for $s in $s:\n        logger.info(\"$v %s\", $s)\n    return $s\n",
    "class $P($P):\n    \"\"\"$t.\"\"\"\n\n    $s = $n\n    $s = \"$u\"\n\n    def __init__(self, $s):\n        self.$s = $s\n        self._$s = {}\n",
    "import $w\nfrom $w.$w import $P, $P\n",
    "# $t\n$U = $n\n$U = \"$x\"\n",
    "@pytest.mark.parametrize(\"$s\", [$n, $n, $n])\ndef test_$s($s):\n    assert $s($s) == $n\n",
    "    $s = {\n        \"id\": \"$i\",\n        \"$s\": $f,\n        \"created\": \"$d\",\n    }\n",
];

const JS: &[&str] = &[
    "export function $c($c, $c) {\n  // $t\n  const $c = $c.map(($c) => $c.$c);\n  if ($c.length > $n) {\n    throw new Error('$v $w failed');\n  }\n  return $c;\n}\n",
    "import { $P, $c } from './$w/$s';\nimport $c from '$w';\n",
    "const $c = {\n  $c: $n,\n  $c: '$u',\n  $c: '$x',\n  $c: true,\n};\n",
    "class $P extends $P {\n  constructor($c) {\n    super();\n    this.$c = $c;\n  }\n\n  async $c() {\n    const res = await fetch(`$${this.$c}/api/v1/$w`);\n    return res.json();\n  }\n}\n",
    "describe('$P', () => {\n  it('$v $w', () => {\n    expect($c($n)).toBe($n);\n  });\n});\n",
];

const TS: &[&str] = &[
    "export interface $P {\n  $c: string;\n  $c?: number;\n  $c: $P[];\n}\n",
    "export async function $c($c: $P): Promise<$P> {\n  // $t\n  const $c = await this.$c.$c($c.id);\n  return { ...$c, updatedAt: '$T' };\n}\n",
    "import type { $P } from '../$w/$s';\nimport { $c } from '@app/$w';\n",
    "export const $U = {\n  $c: '$x',\n  $c: $n,\n  docs: '$u',\n} as const;\n",
    "type $P = Record<string, $P | undefined>;\n",
];

const GO: &[&str] = &[
    "// $P $t.\nfunc ($c *$P) $P(ctx context.Context, $c string) (*$P, error) {\n\t$c, err := $c.$c.Get(ctx, $c)\n\tif err != nil {\n\t\treturn nil, fmt.Errorf(\"$v $w: %w\", err)\n\t}\n\treturn $c, nil\n}\n",
    "type $P struct {\n\t$P string `json:\"$s\"`\n\t$P int    `json:\"$s\"`\n\t$P []$P\n}\n",
    "import (\n\t\"context\"\n\t\"fmt\"\n\t\"github.com/$w/$w/$w\"\n)\n",
    "const (\n\t$P = $n\n\t$P = \"$u\"\n)\n",
    "func Test$P(t *testing.T) {\n\tgot := $P($n)\n\tif got != $n {\n\t\tt.Fatalf(\"got %d\", got)\n\t}\n}\n",
];

const JAVA: &[&str] = &[
    "    /**\n     * $t.\n     */\n    public $P $c($P $c) throws $PException {\n        final var $c = this.$c.find($c.getId());\n        if ($c == null) {\n            throw new $PException(\"$v $w\");\n        }\n        return $c;\n    }\n",
    "    private final Map<String, $P> $c = new HashMap<>();\n    private static final int $U = $n;\n",
    "    @Override\n    public String toString() {\n        return \"$P{\" + $c + \", \" + $c + \"}\";\n    }\n",
    "    // $t ($h)\n    private static final String $U = \"$u\";\n",
];

const C: &[&str] = &[
    "/* $t. */\nstatic int $s(struct $s *$s, size_t $s)\n{\n    if ($s == NULL || $s > $n) {\n        return -EINVAL;\n    }\n    memcpy($s->$s, $s, $s);\n    return 0;\n}\n",
    "#include <$w.h>\n#include \"$s.h\"\n",
    "#define $U $n\n#define $U \"$w\"\n",
    "struct $s {\n    uint32_t $s;\n    char $s[$n];\n    struct $s *next;\n};\n",
];

const SHELL: &[&str] = &[
    "# $t\n$s() {\n  local $s=\"$$1\"\n  if [ -z \"$$$s\" ]; then\n    echo \"usage: $s <$w>\" >&2\n    return 1\n  fi\n  $w --$w \"$$$s\" | grep -v '^#'\n}\n",
    "set -euo pipefail\n$U=\"$${$U:-$n}\"\n",
    "for f in ./$w/*.$w; do\n  echo \"$v $$f\"\ndone\n",
    "curl -fsSL \"$u\" -o /tmp/$s.tar.gz\n",
];

const YAML: &[&str] = &[
    "$s:\n  $s: $n\n  $s: \"$u\"\n  $s: true\n",
    "# $t\n$s:\n  - name: $s\n    image: registry.local/$w:$n.$n.$n\n    ports:\n      - $n\n",
    "$s:\n  color: \"$x\"\n  id: $i\n  updated: $d\n",
    "$s: $a\n$s: $f\n",
];

const JSON: &[&str] = &[
    "  \"$c\": {\n    \"id\": \"$i\",\n    \"$c\": $n,\n    \"$c\": \"$w\",\n    \"enabled\": true\n  },\n",
    "  \"$c\": [$n, $n, $n],\n",
    "  \"$c\": \"$u\",\n",
    "  \"$c\": {\"color\": \"$x\", \"revision\": \"$h\"},\n",
];

const TOML: &[&str] = &[
    "[$s]\n$s = $n\n$s = \"$w\"\n$s = true\n",
    "# $t\n[$s.$s]\nurl = \"$u\"\nretries = $n\n",
    "[[$s]]\nname = \"$s\"\nversion = \"$n.$n.$n\"\n",
];

const ENV: &[&str] = &["# $t\n$U=$n\n$U=$w\n", "$U=$u\n$U=$a\n"];

const PROPERTIES: &[&str] = &[
    "# $t\n$w.$w.$s=$n\n$w.$w.$s=$w\n",
    "$w.$s.url=$u\n$w.$s.enabled=true\n",
];

const DOCKER: &[&str] = &[
    "RUN apt-get update && apt-get install -y --no-install-recommends $w $w \\\n    && rm -rf /var/lib/apt/lists/*\n",
    "COPY ./$w /app/$w\nWORKDIR /app/$w\n",
    "# $t\nENV $U=$n\nEXPOSE $n\n",
    "ARG $U=$w\nRUN ./scripts/$s.sh --$w\n",
];

const TERRAFORM: &[&str] = &[
    "resource \"aws_$s\" \"$s\" {\n  name     = \"$w-$w\"\n  count    = $n\n  tags = {\n    Team = \"$w\"\n  }\n}\n",
    "variable \"$s\" {\n  description = \"$t\"\n  type        = string\n  default     = \"$w\"\n}\n",
    "module \"$s\" {\n  source  = \"./modules/$w\"\n  $s = var.$s\n}\n",
    "output \"$s\" {\n  value = aws_$s.$s.arn\n}\n",
];

const SQL: &[&str] = &[
    "-- $t\nCREATE TABLE $s (\n    id BIGSERIAL PRIMARY KEY,\n    $s TEXT NOT NULL,\n    $s INTEGER DEFAULT $n,\n    created_at TIMESTAMPTZ NOT NULL DEFAULT now()\n);\n",
    "INSERT INTO $s ($s, $s) VALUES ('$w', $n);\n",
    "CREATE INDEX idx_$s ON $s ($s);\n",
    "SELECT $s, count(*) FROM $s WHERE $s > $n GROUP BY 1 ORDER BY 2 DESC;\n",
];

const MARKDOWN: &[&str] = &[
    "## $P\n\n$t. $t. See [$w]($u) for details.\n\n",
    "- `$s`: $t.\n- `$s`: $t.\n",
    "```sh\n$w $v --$w $n\n```\n\n",
    "| $w | $w | $w |\n|---|---|---|\n| $n | $w | $f |\n\n",
    "> $t (commit $h).\n\n",
];

const CSS: &[&str] = &[
    ".$w-$w {\n  color: $x;\n  background: $x;\n  margin: $npx $npx;\n}\n",
    "@media (max-width: $npx) {\n  .$w { display: none; }\n}\n",
];

impl FileKind {
    /// Templates for filler blocks.
    fn templates(self) -> &'static [&'static str] {
        match self {
            FileKind::Rust => RUST,
            FileKind::Python => PYTHON,
            FileKind::JavaScript => JS,
            FileKind::TypeScript => TS,
            FileKind::Go => GO,
            FileKind::Java => JAVA,
            FileKind::C => C,
            FileKind::Shell => SHELL,
            FileKind::Yaml => YAML,
            FileKind::Json => JSON,
            FileKind::Toml => TOML,
            FileKind::Env => ENV,
            FileKind::Properties => PROPERTIES,
            FileKind::Dockerfile => DOCKER,
            FileKind::Terraform => TERRAFORM,
            FileKind::Sql => SQL,
            FileKind::Markdown => MARKDOWN,
            FileKind::Css => CSS,
            FileKind::Csv
            | FileKind::Log
            | FileKind::PackageLock
            | FileKind::CargoLock
            | FileKind::GoSum => &[],
        }
    }

    /// Whether planted secrets/PII/decoys may go in this kind of file.
    pub fn plantable(self) -> bool {
        !matches!(
            self,
            FileKind::PackageLock | FileKind::CargoLock | FileKind::GoSum | FileKind::Css
        )
    }

    /// A file name (without directory) for this kind.
    pub fn file_name(self, rng: &mut Rng) -> String {
        let s = snake(rng);
        match self {
            FileKind::Rust => format!("{s}.rs"),
            FileKind::Python => format!("{s}.py"),
            FileKind::JavaScript => format!("{}.js", to_camel(&s)),
            FileKind::TypeScript => format!("{}.ts", to_camel(&s)),
            FileKind::Go => format!("{s}.go"),
            FileKind::Java => format!("{}.java", cap(&to_camel(&s))),
            FileKind::C => format!("{s}.{}", *rng.pick(&["c", "c", "h"])),
            FileKind::Shell => format!("{s}.sh"),
            FileKind::Yaml => format!("{s}.{}", *rng.pick(&["yaml", "yml"])),
            FileKind::Json => format!("{s}.json"),
            FileKind::Toml => format!("{s}.toml"),
            FileKind::Env => rng
                .pick(&[".env", ".env.production", ".env.local", ".env.staging"])
                .to_string(),
            FileKind::Properties => format!("{s}.properties"),
            FileKind::Dockerfile => "Dockerfile".to_string(),
            FileKind::Terraform => format!("{s}.tf"),
            FileKind::Sql => format!("{:04}_{s}.sql", rng.range(1, 300)),
            FileKind::Markdown => format!("{s}.md"),
            FileKind::Csv => format!("{s}_export_{}.csv", date(rng)),
            FileKind::Log => format!("{}.log", date(rng)),
            FileKind::Css => format!("{s}.css"),
            FileKind::PackageLock => "package-lock.json".to_string(),
            FileKind::CargoLock => "Cargo.lock".to_string(),
            FileKind::GoSum => "go.sum".to_string(),
        }
    }

    /// Lines that open a file of this kind.
    fn header(self, rng: &mut Rng) -> Vec<String> {
        let lines: String = match self {
            FileKind::Rust => expand(rng, "//! $t.\n\nuse std::sync::Arc;\n"),
            FileKind::Python => expand(rng, "\"\"\"$t.\"\"\"\nimport os\nimport logging\n\nlogger = logging.getLogger(__name__)\n"),
            FileKind::Go => expand(rng, "// Package $w $t.\npackage $w\n"),
            FileKind::Java => expand(rng, "package com.$w.$w;\n\nimport java.util.*;\n\n/** $t. */\npublic class $P {\n"),
            FileKind::Shell => expand(rng, "#!/usr/bin/env bash\n# $t.\n"),
            FileKind::Json => "{\n".to_string(),
            FileKind::Yaml => expand(rng, "# $t\n---\n"),
            FileKind::Dockerfile => expand(rng, "FROM $w:$n.$n-slim AS build\n"),
            FileKind::Markdown => expand(rng, "# $P\n\n$t.\n\n"),
            FileKind::Csv => "id,name,email,phone,city,plan,created_at\n".to_string(),
            FileKind::Terraform => "terraform {\n  required_version = \">= 1.5\"\n}\n".to_string(),
            _ => String::new(),
        };
        lines.lines().map(str::to_string).collect()
    }

    /// Lines that close a file of this kind.
    fn footer(self, rng: &mut Rng) -> Vec<String> {
        match self {
            FileKind::Java => vec!["}".to_string()],
            FileKind::Json => vec![
                format!("  \"{}\": {}", to_camel(&snake(rng)), rng.range(0, 99)),
                "}".to_string(),
            ],
            _ => Vec::new(),
        }
    }

    /// One filler block (several lines).
    pub fn block(self, rng: &mut Rng) -> Vec<String> {
        let text = match self {
            FileKind::Csv => csv_row(rng, None),
            FileKind::Log => log_line(rng, None),
            FileKind::PackageLock => package_lock_entry(rng),
            FileKind::CargoLock => cargo_lock_entry(rng),
            FileKind::GoSum => go_sum_entry(rng),
            _ => {
                let t = self.templates();
                let tpl = *rng.pick(t);
                expand(rng, tpl)
            }
        };
        text.lines().map(str::to_string).collect()
    }

    /// Writes `plant` in this kind's syntax.
    pub fn render(self, rng: &mut Rng, plant: &Plant) -> Vec<String> {
        let key = plant.key.as_str();
        let lower = key.to_ascii_lowercase();
        let camel = to_camel(&lower);
        let v = plant.value.as_str();
        if v.contains('\n') {
            return self.render_multiline(&lower, key, v);
        }
        let q = |s: &str| {
            if plant.raw {
                s.to_string()
            } else {
                format!("\"{s}\"")
            }
        };
        let sq = |s: &str| {
            if plant.raw {
                s.to_string()
            } else {
                format!("'{s}'")
            }
        };
        let line = match self {
            FileKind::Rust => format!("const {key}: &str = {};", q(v)),
            FileKind::Python => match rng.below(2) {
                0 => format!("{key} = {}", q(v)),
                _ => format!("    \"{lower}\": {},", q(v)),
            },
            FileKind::JavaScript | FileKind::TypeScript => match rng.below(2) {
                0 => format!("const {camel} = {};", sq(v)),
                _ => format!("  {camel}: {},", sq(v)),
            },
            FileKind::Go => format!("var {} = {}", cap(&camel), q(v)),
            FileKind::Java => format!("    private static final String {key} = {};", q(v)),
            FileKind::C => format!("#define {key} {}", q(v)),
            FileKind::Shell => format!("export {key}={}", q(v)),
            FileKind::Yaml => format!("{lower}: {v}"),
            FileKind::Json => format!("  \"{camel}\": \"{}\",", v.replace('"', "\\\"")),
            FileKind::Toml | FileKind::Terraform => {
                format!("{lower} = \"{}\"", v.replace('"', "\\\""))
            }
            FileKind::Env => format!("{key}={v}"),
            FileKind::Properties => format!("app.{}={v}", lower.replace('_', ".")),
            FileKind::Dockerfile => format!("ENV {key}={v}"),
            FileKind::Sql => format!(
                "INSERT INTO settings (name, value) VALUES ('{lower}', '{}');",
                v.replace('\'', "''")
            ),
            FileKind::Markdown => format!("    export {key}={v}"),
            FileKind::Csv => {
                return csv_row(rng, Some(plant))
                    .lines()
                    .map(str::to_string)
                    .collect()
            }
            FileKind::Log => {
                return log_line(rng, Some(plant))
                    .lines()
                    .map(str::to_string)
                    .collect()
            }
            FileKind::Css | FileKind::PackageLock | FileKind::CargoLock | FileKind::GoSum => {
                format!("/* {lower}: {v} */")
            }
        };
        vec![line]
    }

    fn render_multiline(self, lower: &str, key: &str, v: &str) -> Vec<String> {
        let body: Vec<String> = v.lines().map(str::to_string).collect();
        let wrap = |open: String, close: &str, indent: &str| {
            let mut out = vec![open];
            out.extend(body.iter().map(|l| format!("{indent}{l}")));
            out.push(close.to_string());
            out
        };
        match self {
            FileKind::Python => wrap(format!("{key} = \"\"\""), "\"\"\"", ""),
            FileKind::Yaml => {
                let mut out = vec![format!("{lower}: |")];
                out.extend(body.iter().map(|l| format!("  {l}")));
                out
            }
            FileKind::JavaScript | FileKind::TypeScript => {
                wrap(format!("const {} = `", to_camel(lower)), "`;", "")
            }
            FileKind::Go => wrap(format!("var {} = `", cap(&to_camel(lower))), "`", ""),
            FileKind::Rust => wrap(format!("const {key}: &str = r#\""), "\"#;", ""),
            FileKind::Toml => wrap(format!("{lower} = \"\"\""), "\"\"\"", ""),
            FileKind::Terraform => wrap(format!("{lower} = <<EOT"), "EOT", ""),
            FileKind::Json => vec![format!("  \"{}\": \"{}\\n\",", lower, body.join("\\n"))],
            FileKind::Markdown => wrap("```".to_string(), "```", ""),
            FileKind::Shell | FileKind::Dockerfile => {
                wrap(format!("cat > /tmp/{lower}.pem <<'EOF'"), "EOF", "")
            }
            _ => body,
        }
    }

    /// Generates a whole file of about `target` bytes with `plants` placed
    /// between filler blocks. Returns the text and, per plant, its first and
    /// last 1-based line.
    pub fn generate(
        self,
        rng: &mut Rng,
        target: usize,
        plants: &[Plant],
    ) -> (String, Vec<(usize, usize)>) {
        let mut pieces: Vec<Vec<String>> = Vec::new();
        let mut size = 0usize;
        while size < target || pieces.is_empty() {
            let b = self.block(rng);
            size += b.iter().map(|l| l.len() + 1).sum::<usize>();
            pieces.push(b);
        }
        // Choose a slot (between blocks) for each plant, in order.
        let mut slots: Vec<usize> = plants.iter().map(|_| rng.urange(0, pieces.len())).collect();
        slots.sort_unstable();
        // An AWS secret key goes right after its key id.
        for i in 1..plants.len() {
            if plants[i].name == "aws-secret-access-key" {
                slots[i] = slots[i - 1];
            }
        }
        let mut out = String::with_capacity(size + 256);
        let mut line = 1usize;
        let mut spans = Vec::with_capacity(plants.len());
        let push = |out: &mut String, l: &str, line: &mut usize| {
            out.push_str(l);
            out.push('\n');
            *line += 1;
        };
        for l in self.header(rng) {
            push(&mut out, &l, &mut line);
        }
        let mut pi = 0;
        for (bi, block) in pieces.iter().enumerate() {
            while pi < plants.len() && slots[pi] == bi {
                let lines = self.render(rng, &plants[pi]);
                let first = line;
                for l in &lines {
                    push(&mut out, l, &mut line);
                }
                spans.push(plant_span(&plants[pi], &lines, first));
                pi += 1;
            }
            for l in block {
                push(&mut out, l, &mut line);
            }
        }
        while pi < plants.len() {
            let lines = self.render(rng, &plants[pi]);
            let first = line;
            for l in &lines {
                push(&mut out, l, &mut line);
            }
            spans.push(plant_span(&plants[pi], &lines, first));
            pi += 1;
        }
        for l in self.footer(rng) {
            push(&mut out, &l, &mut line);
        }
        (out, spans)
    }
}

/// The lines of a rendered plant that hold its value.
fn plant_span(plant: &Plant, lines: &[String], first: usize) -> (usize, usize) {
    let head = plant.value.lines().next().unwrap_or("");
    let tail = plant.value.lines().last().unwrap_or("");
    let start = lines.iter().position(|l| l.contains(head)).unwrap_or(0);
    let end = lines
        .iter()
        .rposition(|l| l.contains(tail))
        .unwrap_or(lines.len().saturating_sub(1));
    (first + start, first + end.max(start))
}

fn csv_row(rng: &mut Rng, plant: Option<&Plant>) -> String {
    let first = *rng.pick(FIRST_NAMES);
    let last = *rng.pick(LAST_NAMES);
    let (email, phone) = match plant {
        Some(p) if p.family == "email" || p.name == "reserved-email" => {
            (p.value.clone(), String::new())
        }
        Some(p) if p.family == "phone" => (String::new(), p.value.clone()),
        Some(_) => (String::new(), String::new()),
        None => (String::new(), String::new()),
    };
    let extra = match plant {
        Some(p) if !matches!(p.family, "email" | "phone") && p.name != "reserved-email" => {
            format!(",{}", p.value)
        }
        _ => String::new(),
    };
    format!(
        "{},{first} {last},{email},{phone},{},{},{}{extra}\n",
        rng.range(10_000, 999_999),
        rng.pick(CITIES),
        *rng.pick(&["free", "team", "business", "enterprise"]),
        timestamp(rng)
    )
}

fn log_line(rng: &mut Rng, plant: Option<&Plant>) -> String {
    let level = *rng.pick(&["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"]);
    let svc = *rng.pick(WORDS);
    let base = format!("{} {level} [{svc}-{}]", timestamp(rng), rng.range(1, 8));
    match plant {
        Some(p) => {
            let key = p.key.to_ascii_lowercase();
            match p.family {
                "email" => format!(
                    "{base} user login succeeded email={} ip=10.{}.{}.{}\n",
                    p.value,
                    rng.range(0, 255),
                    rng.range(0, 255),
                    rng.range(1, 254)
                ),
                "jwt" => format!(
                    "{base} request headers: Authorization: Bearer {}\n",
                    p.value
                ),
                _ => format!("{base} loaded settings {key}={}\n", p.value),
            }
        }
        None => {
            let msg = match rng.below(4) {
                0 => format!(
                    "request_id={} path=/api/v{}/{} status={} duration_ms={}",
                    tokens::uuid(rng),
                    rng.range(1, 3),
                    rng.pick(WORDS),
                    *rng.pick(&[200, 200, 201, 204, 404, 500]),
                    rng.range(1, 900)
                ),
                1 => format!(
                    "{} {} {} (attempt {})",
                    rng.pick(VERBS),
                    rng.pick(ADJECTIVES),
                    rng.pick(WORDS),
                    rng.range(1, 5)
                ),
                2 => format!(
                    "deployed revision {} to {}",
                    tokens::hex(rng, 40),
                    rng.pick(CITIES).to_ascii_lowercase()
                ),
                _ => format!(
                    "queue depth={} lag_ms={} shard={}",
                    rng.range(0, 5000),
                    rng.range(0, 20000),
                    rng.range(0, 63)
                ),
            };
            format!("{base} {msg}\n")
        }
    }
}

fn package_lock_entry(rng: &mut Rng) -> String {
    let name = format!("{}-{}", rng.pick(WORDS), rng.pick(WORDS));
    let ver = format!(
        "{}.{}.{}",
        rng.range(0, 12),
        rng.range(0, 30),
        rng.range(0, 20)
    );
    format!(
        "    \"node_modules/{name}\": {{\n      \"version\": \"{ver}\",\n      \"resolved\": \"https://registry.npmjs.org/{name}/-/{name}-{ver}.tgz\",\n      \"integrity\": \"sha512-{}\",\n      \"dev\": true\n    }},\n",
        tokens::base64(&rng.bytes(64), false, true)
    )
}

fn cargo_lock_entry(rng: &mut Rng) -> String {
    format!(
        "[[package]]\nname = \"{}-{}\"\nversion = \"{}.{}.{}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"{}\"\n\n",
        rng.pick(WORDS),
        rng.pick(WORDS),
        rng.range(0, 5),
        rng.range(0, 40),
        rng.range(0, 20),
        tokens::hex(rng, 64)
    )
}

fn go_sum_entry(rng: &mut Rng) -> String {
    let m = format!("github.com/{}/{}", rng.pick(WORDS), rng.pick(WORDS));
    let v = format!(
        "v{}.{}.{}",
        rng.range(0, 3),
        rng.range(0, 30),
        rng.range(0, 20)
    );
    format!(
        "{m} {v} h1:{}\n{m} {v}/go.mod h1:{}\n",
        tokens::base64(&rng.bytes(32), false, true),
        tokens::base64(&rng.bytes(32), false, true)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expand_replaces_every_placeholder() {
        let mut r = Rng::new(1);
        let s = expand(
            &mut r,
            "$s $c $P $U $v $w $a $t $u $h $i $x $n $f $d $T $N $C $$ $",
        );
        assert!(!s.contains("$s") && !s.contains("$h"), "{s}");
        assert!(s.contains(" $ "), "{s}");
        assert!(s.ends_with('$'));
    }

    #[test]
    fn plant_lines_are_where_generate_says() {
        let mut r = Rng::new(2);
        for &(kind, _) in WEIGHTS {
            if !kind.plantable() {
                continue;
            }
            let mut plants = Vec::new();
            for _ in 0..6 {
                plants.extend(tokens::secret(&mut r));
                plants.push(tokens::pii(&mut r));
            }
            let (text, spans) = kind.generate(&mut r, 3000, &plants);
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(spans.len(), plants.len());
            for (p, (a, b)) in plants.iter().zip(&spans) {
                let first = p.value.lines().next().unwrap();
                let last = p.value.lines().last().unwrap();
                assert!(
                    lines[a - 1].contains(first),
                    "{kind:?} {} line {a}: {}",
                    p.name,
                    lines[a - 1]
                );
                assert!(lines[b - 1].contains(last), "{kind:?} {} line {b}", p.name);
            }
        }
    }

    #[test]
    fn to_camel_works() {
        assert_eq!(to_camel("GITHUB_TOKEN"), "githubToken");
        assert_eq!(to_camel("a__b"), "aB");
    }
}
