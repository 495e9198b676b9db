//! Generic findings whose key names a provider with an exact token format
//! the value does not have: `GITEA_TOKEN=<32 hex>` (Gitea tokens are 40),
//! `wandb_api_key = <32 hex>` (W&B keys are 40), `mistral_token = <28
//! characters>` (Mistral keys are 32). Such a value is a hand-typed or cut
//! example, or another kind of value under a provider's name; a value of the
//! provider's shape under the same key is its credential and stays reported
//! (by the provider's rule or, where that rule is narrower, by the generic
//! one).
//!
//! Only providers whose every credential has one documented form are listed,
//! each with all the forms the peers' rules and the provider's documentation
//! accept, legacy ones included (a form left out here would silence a real
//! key). Where a provider has other credentials without one form, the entry
//! names the one credential it checks (`with`: `CLOUDFLARE_GLOBAL_API_KEY`,
//! not `CLOUDFLARE_R2_SECRET`). Providers whose name also labels compatible
//! services (an `OPENAI_API_KEY` may hold an Azure key) or is an everyday
//! word (`square`, `harness`, `render`) are not listed, and keys naming
//! free-form values (passwords, SMTP logins, webhook and signing secrets)
//! are never checked.
//!
//! The peers' rule tests hold such values by the dozen (`<provider>_token =
//! <the positive cut by a character>`): of 12,927 values of the peers'
//! positives cut by one character (`scripts/peer-eval/peer-eval cut`), 2,659
//! still drew a generic finding with the first 19 providers listed here,
//! 776 with all of them.

use std::sync::OnceLock;

use regex_automata::meta::Regex;

/// One provider: the words that name it in a key and the shapes of its
/// credentials.
struct Format {
    /// Words naming the provider, lowercase. Names under five letters must
    /// be a whole word of the key (`aws` in `awsSecretKey`, not in `laws`);
    /// longer ones may be part of one (`mistral` in `MISTRALAI_TOKEN`).
    names: &'static [&'static str],
    /// Words the key must also hold, lowercase, anywhere in it: the key
    /// names this one credential of the provider (`aws` + `secret`).
    with: &'static [&'static str],
    /// Every form the credential takes: a regex the whole value must match.
    shape: &'static str,
}

/// The providers with exact formats. Sources: the providers' documentation
/// and the token formats in the public rules of gitleaks, betterleaks,
/// Kingfisher and Nosey Parker.
const FORMATS: &[Format] = &[
    // Amplitude API and secret keys: 32 hex digits.
    Format {
        names: &["amplitude"],
        with: &[],
        shape: r"[0-9a-fA-F]{32}",
    },
    // Adobe developer credentials: client ids (32 hex digits), client
    // secrets (`p8e-` + 32), Acrobat Sign integration keys (`3AAABL…`) and
    // access tokens (JWTs).
    Format {
        names: &["adobe"],
        with: &[],
        shape: r"[0-9a-fA-F]{32}|p8e-[A-Za-z0-9_-]{32}|3AAABL[A-Za-z0-9_*-]{20,}|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+",
    },
    // AssemblyAI API keys: 32 hex digits.
    Format {
        names: &["assemblyai", "assembly_ai"],
        with: &[],
        shape: r"[0-9a-fA-F]{32}",
    },
    // Algolia API keys (32 hex digits) and secured API keys derived from
    // them (long base64).
    Format {
        names: &["algolia"],
        with: &[],
        shape: r"[0-9a-fA-F]{32}|[A-Za-z0-9+/=]{60,}",
    },
    // Authress service client keys: `sc_<client>.<key id>.acc_<account>.<private key>`.
    Format {
        names: &["authress"],
        with: &[],
        shape: r"(?i)(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\.[a-z0-9]{4,6}\.acc[_-][a-z0-9-]{10,32}\.[a-z0-9+/_=-]{30,120}",
    },
    // AWS secret access keys: 40 characters of base64.
    Format {
        names: &["aws"],
        with: &["secret"],
        shape: r"[A-Za-z0-9/+]{40}",
    },
    // 1Password account secret keys: `A3-` and six groups.
    Format {
        names: &["1password", "onepassword"],
        with: &["secret", "key"],
        shape: r"A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}",
    },
    // 1Password service account tokens (`ops_` + base64 JSON), Connect
    // tokens (JWTs), or a secret key under a token's name.
    Format {
        names: &["1password", "onepassword"],
        with: &["token"],
        shape: r"ops_eyJ[A-Za-z0-9+/=_-]{100,}|A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+",
    },
    // Atlassian API tokens: `ATATT` + about 180 characters, or the legacy 24
    // alphanumerics.
    Format {
        names: &["atlassian"],
        with: &["token"],
        shape: r"ATATT[A-Za-z0-9_=-]{150,}|[A-Za-z0-9]{24}",
    },
    // AWS access key ids: a four-letter kind (`AKIA`, `ASIA`…) and 16 more.
    Format {
        names: &["aws"],
        with: &["access", "id"],
        shape: r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}",
    },
    // Beamer API keys: `b_` + 44.
    Format {
        names: &["beamer"],
        with: &[],
        shape: r"b_[A-Za-z0-9=_-]{44}",
    },
    // Bitly access tokens: 40 characters (hex in practice).
    Format {
        names: &["bitly"],
        with: &[],
        shape: r"[A-Za-z0-9]{40}",
    },
    // Brave Search API keys: `BSA` and 24 to 40 more.
    Format {
        names: &["brave"],
        with: &[],
        shape: r"BSA[A-Za-z0-9_-]{24,40}",
    },
    // Canva Connect client ids (`OC-…`) and secrets (`cnvca` + 51).
    Format {
        names: &["canva"],
        with: &["client"],
        shape: r"OC-[A-Za-z0-9_-]{8,16}|cnvca[A-Za-z0-9_-]{51}",
    },
    // ClickHouse Cloud API keys: ids (20 alphanumerics) and secrets (`4b1d`
    // + 38); its database passwords are not checked.
    Format {
        names: &["clickhouse"],
        with: &["key"],
        shape: r"4b1d[A-Za-z0-9]{38}|[A-Za-z0-9]{20}",
    },
    Format {
        names: &["clickhouse"],
        with: &["token"],
        shape: r"4b1d[A-Za-z0-9]{38}|[A-Za-z0-9]{20}",
    },
    // CircleCI personal and project API tokens: `CCIPAT_`/`CCIPRJ_` forms,
    // or the legacy 40 hex digits.
    Format {
        names: &["circleci"],
        with: &["token"],
        shape: r"CCIP(?:AT|RJ)_[A-Za-z0-9]{20,24}_[0-9a-fA-F]{40}|[0-9a-fA-F]{40}",
    },
    // Cloudflare global API keys: 37 hex digits (API tokens have other names).
    Format {
        names: &["cloudflare"],
        with: &["global"],
        shape: r"[0-9a-fA-F]{37}",
    },
    // Databricks personal access tokens: `dapi` + 32 hex digits (an optional
    // `-N` suffix); OAuth secrets: `dose` + 32 hex digits.
    Format {
        names: &["databricks"],
        with: &["token"],
        shape: r"d(?:api|ose)[0-9a-fA-F]{32}(?:-[0-9])?",
    },
    // Cloudflare API tokens (40 characters of base64url), tunnel tokens
    // (base64 JSON) and Origin CA keys (`v1.0-`).
    Format {
        names: &["cloudflare"],
        with: &["token"],
        shape: r"[A-Za-z0-9_-]{40}|eyJ[A-Za-z0-9+/=_-]{50,}|v1\.0-[A-Za-z0-9._-]{100,}",
    },
    // Code Climate repository tokens and test reporter ids (64 hex digits),
    // API tokens (40).
    Format {
        names: &["codeclimate", "code_climate"],
        with: &["token"],
        shape: r"[0-9a-fA-F]{64}|[0-9a-fA-F]{40}",
    },
    // Cohere API keys: 40 alphanumerics.
    Format {
        names: &["cohere"],
        with: &["api"],
        shape: r"[A-Za-z0-9]{40}",
    },
    // Confluent Cloud API keys (16 upper-case alphanumerics) and secrets (64
    // characters of base64).
    Format {
        names: &["confluent"],
        with: &[],
        shape: r"[A-Z0-9]{16}|[A-Za-z0-9+/]{64}",
    },
    // Contentful tokens: 43 characters of base64url (delivery and preview),
    // or `CFPAT-` + 43 (management).
    Format {
        names: &["contentful"],
        with: &["token"],
        shape: r"(?:CFPAT-)?[A-Za-z0-9_-]{43}",
    },
    // Datadog API keys (32 hex digits) and application keys (40).
    Format {
        names: &["datadog", "dd"],
        with: &["key"],
        shape: r"[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|dd[a-z]{2,4}_[A-Za-z0-9_-]{20,}",
    },
    // Datadog client tokens: `pub` + 32 hex digits.
    Format {
        names: &["datadog"],
        with: &["token"],
        shape: r"pub[0-9a-fA-F]{32}|[0-9a-fA-F]{32}|[0-9a-fA-F]{40}",
    },
    // DeepSeek API keys: `sk-` + 32 hex digits.
    Format {
        names: &["deepseek"],
        with: &[],
        shape: r"sk-[0-9a-fA-F]{32}",
    },
    // Deepgram API keys: 40 hex digits.
    Format {
        names: &["deepgram"],
        with: &[],
        shape: r"[0-9a-fA-F]{40}",
    },
    // Discord bot and user tokens (three dotted parts), OAuth client secrets
    // (32), access tokens (30), application public keys (64 hex digits) and
    // ids (17 to 20 digits).
    Format {
        names: &["discord"],
        with: &[],
        shape: r"[A-Za-z0-9_-]{23,30}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,40}|[A-Za-z0-9_-]{32}|[A-Za-z0-9]{30}|[0-9a-fA-F]{64}|[0-9]{17,20}",
    },
    // Defined Networking API keys: `dnkey-` + 26 + `-` + 52.
    Format {
        names: &["dnkey"],
        with: &[],
        shape: r"dnkey-[A-Za-z0-9=_-]{26}-[A-Za-z0-9=_-]{52}",
    },
    // DigitalOcean tokens: `dop_v1_`, `doo_v1_`, `dor_v1_` + 64 hex digits,
    // or the legacy 64 hex digits.
    Format {
        names: &["digitalocean"],
        with: &["token"],
        shape: r"do[opr]_v1_[0-9a-f]{64}|[0-9a-f]{64}",
    },
    // Doppler tokens: `dp.` + kind + `.` + 40 to 44 alphanumerics (service
    // tokens may carry a config name between).
    Format {
        names: &["doppler"],
        with: &["token"],
        shape: r"dp\.(?:pt|st|sa|ct|scim|audit)\.(?:[a-z0-9_-]{2,35}\.)?[A-Za-z0-9]{40,44}",
    },
    // EasyPost API keys: `EZAK` (production) or `EZTK` (test) + 54.
    Format {
        names: &["easypost"],
        with: &[],
        shape: r"EZ[AT]K[A-Za-z0-9]{54}",
    },
    // ElevenLabs API keys: `sk_` + 48 hex digits, or the legacy 32.
    Format {
        names: &["elevenlabs", "xi-api", "xi_api"],
        with: &[],
        shape: r"sk_[0-9a-f]{48}|[0-9a-f]{32}",
    },
    // Etsy API keystrings (24 lower-case alphanumerics), shared secrets
    // (10) and OAuth 2 access tokens (the user id, `.`, the token).
    Format {
        names: &["etsy"],
        with: &[],
        shape: r"[a-z0-9]{24}|[a-z0-9]{10}|[0-9]+\.[A-Za-z0-9_-]{20,}",
    },
    // Exoscale API keys (`EXO` + 24 hex digits) and secrets (43 characters
    // of base64url).
    Format {
        names: &["exoscale"],
        with: &[],
        shape: r"EXO[0-9a-fA-F]{24}|[A-Za-z0-9_-]{43}",
    },
    // Facebook app secrets and client tokens: 32 hex digits.
    Format {
        names: &["facebook"],
        with: &["secret"],
        shape: r"[0-9a-fA-F]{32}",
    },
    // Facebook access tokens: `EAA…` user and page tokens, `id|secret` app
    // tokens, or a client token.
    Format {
        names: &["facebook"],
        with: &["token"],
        shape: r"EAA[A-Za-z0-9]{20,}|[0-9]{13,17}\|[A-Za-z0-9_-]{27,32}|[0-9a-fA-F]{32}",
    },
    // Fastly API tokens: 32 characters of base64url.
    Format {
        names: &["fastly"],
        with: &[],
        shape: r"[A-Za-z0-9_-]{32}",
    },
    // Finicity app keys (32 hex digits) and partner secrets (20).
    Format {
        names: &["finicity"],
        with: &[],
        shape: r"[0-9a-fA-F]{32}|[A-Za-z0-9]{20}",
    },
    // Flickr API keys (32 hex digits) and secrets (16).
    Format {
        names: &["flickr"],
        with: &[],
        shape: r"[0-9a-fA-F]{32}|[0-9a-fA-F]{16}",
    },
    // Gitea access tokens: 40 hex digits; runner registration tokens: 40
    // alphanumerics. (Its other secrets, `SECRET_KEY`, `JWT_SECRET`, have
    // other forms and no `token` in their names.)
    Format {
        names: &["gitea"],
        with: &["token"],
        shape: r"[A-Za-z0-9]{40}",
    },
    // GitHub tokens: `gh[pousr]_` + 36 or more, fine-grained `github_pat_`,
    // or the legacy 40 hex digits (OAuth tokens; `v1.` installation tokens).
    Format {
        names: &["github"],
        with: &["token"],
        shape: r"gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255}|(?:v1\.)?[0-9a-fA-F]{40}",
    },
    // GitLab tokens: `gl…-` prefixed (`glpat-`, `glrt-`, `gldt-`, `glptt-`…),
    // `GR1348941` runner registration tokens, the legacy 20 characters, or
    // OAuth access tokens (64 hex digits).
    Format {
        names: &["gitlab"],
        with: &["token"],
        shape: r"gl[a-z]{2,6}-[A-Za-z0-9_.-]{20,}|GR1348941[A-Za-z0-9_-]{20,}|[A-Za-z0-9_-]{20}|[0-9a-f]{64}",
    },
    // GoCardless access tokens: `live_` or `sandbox_` + 40.
    Format {
        names: &["gocardless"],
        with: &[],
        shape: r"(?:live|sandbox)_[A-Za-z0-9_=-]{40}",
    },
    // Gitter tokens: 40 hex digits.
    Format {
        names: &["gitter"],
        with: &[],
        shape: r"[0-9a-fA-F]{40}",
    },
    // Greptile API keys: 48 characters of base64.
    Format {
        names: &["greptile"],
        with: &[],
        shape: r"[A-Za-z0-9+/]{48}",
    },
    // Groq API keys: `gsk_` + 52 alphanumerics.
    Format {
        names: &["groq"],
        with: &[],
        shape: r"gsk_[A-Za-z0-9]{52}",
    },
    // Hugging Face tokens: `hf_` (or `api_org_` for organisations) + 34.
    Format {
        names: &["huggingface", "hugging_face", "hf"],
        with: &["token"],
        shape: r"(?:hf|api_org)_[A-Za-z0-9]{30,40}",
    },
    // Heroku API keys and OAuth tokens: UUIDs, or the newer `HRKU-` tokens.
    Format {
        names: &["heroku"],
        with: &[],
        shape: r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|HRKU-[A-Za-z0-9_-]{30,}",
    },
    // Infomaniak API tokens: 60 to 100 characters of base64url.
    Format {
        names: &["infomaniak"],
        with: &[],
        shape: r"[A-Za-z0-9_-]{60,100}",
    },
    // Mailchimp API keys: 32 hex digits and the data centre (`-us6`); OAuth
    // tokens: the 32 hex digits alone; the transactional (Mandrill) keys: 22
    // characters, `md-` before the newer.
    Format {
        names: &["mailchimp"],
        with: &[],
        shape: r"[0-9a-fA-F]{32}(?:-[a-z]{2}[0-9]{1,2})?|(?:md-)?[A-Za-z0-9_-]{22}",
    },
    // Mattermost access tokens: 26 lower-case alphanumerics.
    Format {
        names: &["mattermost"],
        with: &[],
        shape: r"[a-z0-9]{26}",
    },
    // MaxMind license keys: `…_…_mmk`, or the legacy 12 or 16 characters.
    Format {
        names: &["maxmind"],
        with: &[],
        shape: r"[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk|[A-Za-z0-9]{12}|[A-Za-z0-9]{16}",
    },
    // MessageBird access keys: 25 alphanumerics.
    Format {
        names: &["messagebird", "message_bird", "message-bird"],
        with: &[],
        shape: r"[A-Za-z0-9]{25}",
    },
    // Mapbox access tokens: `pk.`, `sk.` or `tk.`, the payload, `.`, 22 more.
    Format {
        names: &["mapbox"],
        with: &[],
        shape: r"[pst]k\.[A-Za-z0-9_-]{60,}\.[A-Za-z0-9_-]{22}",
    },
    // Cisco Meraki Dashboard API keys: 40 lowercase hex digits.
    Format {
        names: &["meraki"],
        with: &[],
        shape: r"[0-9a-f]{40}",
    },
    // JFrog Artifactory API keys (`AKCp` + 69), encrypted passwords (`AP…`),
    // identity and reference tokens (base64 of `reftkn:`) and access tokens
    // (JWTs).
    Format {
        names: &["jfrog", "artifactory"],
        with: &[],
        shape: r"AKCp[A-Za-z0-9]{69}|AP[A-Za-z0-9]{10,}|cmVmdGtu[A-Za-z0-9+/=_-]{40,}|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+",
    },
    // Jira and Confluence tokens: Atlassian Cloud API tokens, or Data Center
    // personal access tokens (44 characters of base64).
    Format {
        names: &["jira", "confluence"],
        with: &["token"],
        shape: r"ATATT[A-Za-z0-9_=-]{150,}|[A-Za-z0-9]{24}|[A-Za-z0-9+/]{44}",
    },
    // LangSmith (LangChain) API keys: `lsv2_pt_`/`lsv2_sk_` + 32 hex + `_` +
    // 10 hex, or the older `ls__` + 32 hex.
    Format {
        names: &["langsmith", "langchain"],
        with: &["api"],
        shape: r"lsv2_(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10}|ls__[0-9a-f]{32}",
    },
    // LaunchDarkly SDK, API and mobile keys (`sdk-`/`api-`/`mob-` and a
    // UUID) and client-side ids (24 hex digits).
    Format {
        names: &["launchdarkly"],
        with: &[],
        shape: r"(?:sdk|api|mob)-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{24}",
    },
    // Linear API keys (`lin_api_`), OAuth tokens (`lin_oauth_`) and client
    // secrets (32 hex digits).
    Format {
        names: &["linear"],
        with: &[],
        shape: r"lin_(?:api|oauth)_[A-Za-z0-9]{40,64}|[0-9a-fA-F]{32}",
    },
    // LinkedIn client ids (14), client secrets (16, or the newer `WPL_AP1.`
    // form) and access tokens (`AQ…`, several hundred characters).
    Format {
        names: &["linkedin"],
        with: &[],
        shape: r"[a-z0-9]{14}|[A-Za-z0-9]{16}|WPL_AP[0-9]\.[A-Za-z0-9./+=_-]{10,}|AQ[A-Za-z0-9_-]{100,}",
    },
    // Looker API client ids (20 alphanumerics) and secrets (24).
    Format {
        names: &["looker"],
        with: &[],
        shape: r"[A-Za-z0-9]{20}|[A-Za-z0-9]{24}",
    },
    // Mailgun private API keys (`key-` + 32 hex or the newer 32-8-8 hex
    // form) and public validation keys (`pubkey-` + 32 hex).
    Format {
        names: &["mailgun"],
        with: &[],
        shape: r"(?:pub)?key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}",
    },
    // Mistral API keys: 32 alphanumerics.
    Format {
        names: &["mistral"],
        with: &[],
        shape: r"[A-Za-z0-9]{32}",
    },
    // Netlify access tokens: `nfp_`-style prefixes + 36 to 40, or the legacy
    // 43 to 45 characters of base64url or 60 to 64 hex digits.
    Format {
        names: &["netlify"],
        with: &["token"],
        shape: r"nf[a-z]_[A-Za-z0-9]{36,40}|[A-Za-z0-9_-]{43,45}|[0-9a-fA-F]{60,64}",
    },
    // New Relic keys: license keys (40 hex, or 36 hex + `NRAL`) and the
    // `NRAK-`, `NRII-`, `NRJS-`… keys.
    Format {
        names: &["newrelic", "new_relic"],
        with: &["key"],
        shape: r"[0-9a-fA-F]{40}|[0-9a-fA-F]{36}NRAL|NR[A-Z]{2}-[A-Za-z0-9]{16,40}",
    },
    // npm tokens: `npm_` + 36, or the legacy UUIDs.
    Format {
        names: &["npm"],
        with: &["token"],
        shape: r"npm_[A-Za-z0-9]{36}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    },
    // Okta API tokens (`SSWS …`): `00` + 40 characters of base64url.
    Format {
        names: &["okta"],
        with: &["api"],
        shape: r"00[A-Za-z0-9_=-]{40}",
    },
    // New York Times API keys (32 alphanumerics) and secrets (16).
    Format {
        names: &["nytimes"],
        with: &[],
        shape: r"[A-Za-z0-9]{32}|[A-Za-z0-9]{16}",
    },
    // Ollama API keys: 32 hex digits, a dot, 24 characters of base64url.
    Format {
        names: &["ollama"],
        with: &[],
        shape: r"[0-9a-f]{32}\.[A-Za-z0-9_-]{24}",
    },
    // OpenWeather API keys: 32 hex digits.
    Format {
        names: &["openweather"],
        with: &[],
        shape: r"[0-9a-fA-F]{32}",
    },
    // Perplexity API keys: `pplx-` + 48.
    Format {
        names: &["perplexity"],
        with: &[],
        shape: r"pplx-[A-Za-z0-9]{48}",
    },
    // Pinecone API keys: `pcsk_` + the key, or the legacy UUIDs.
    Format {
        names: &["pinecone"],
        with: &["key"],
        shape: r"pcsk_[A-Za-z0-9_]{40,}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    },
    // Plaid client ids (24 hex digits), secrets (30) and access tokens.
    Format {
        names: &["plaid"],
        with: &[],
        shape: r"[0-9a-f]{24}|[0-9a-f]{30}|(?:access|public|link)-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    },
    // PlanetScale tokens and passwords: `pscale_` + kind + `_` + the key.
    Format {
        names: &["planetscale"],
        with: &[],
        shape: r"pscale_[a-z]{2,5}_[A-Za-z0-9_.-]{32,64}",
    },
    // Okta access tokens (JWTs) and refresh tokens (43 characters of
    // base64url), besides the API tokens.
    Format {
        names: &["okta"],
        with: &["token"],
        shape: r"00[A-Za-z0-9_=-]{40}|[A-Za-z0-9_-]{43}|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+",
    },
    // OVH application keys (16 alphanumerics), application secrets and
    // consumer keys (32).
    Format {
        names: &["ovh"],
        with: &[],
        shape: r"[A-Za-z0-9]{16}|[A-Za-z0-9]{32}",
    },
    // OpenShift OAuth tokens: `sha256~` + 43 characters of base64url
    // (OpenShift 3: the 43 characters alone).
    Format {
        names: &["openshift"],
        with: &["token"],
        shape: r"(?:sha256~)?[A-Za-z0-9_-]{43}",
    },
    // Postman API keys: `PMAK-` + 24 hex + `-` + 34 hex.
    Format {
        names: &["postman"],
        with: &["key"],
        shape: r"PMAK-[A-Za-z0-9]{24}-[A-Za-z0-9]{34}",
    },
    // PyPI API tokens: `pypi-` and a base64url macaroon.
    Format {
        names: &["pypi"],
        with: &["token"],
        shape: r"pypi-[A-Za-z0-9_-]{50,}",
    },
    // Replicate API tokens: `r8_` + 37.
    Format {
        names: &["replicate"],
        with: &["api"],
        shape: r"r8_[A-Za-z0-9]{37}",
    },
    // Salesforce access tokens (session ids): `00` + org id, `!`, the token.
    Format {
        names: &["salesforce"],
        with: &["access", "token"],
        shape: r"00[A-Za-z0-9]{13}![A-Za-z0-9._-]{80,260}",
    },
    // Sentry auth tokens (`sntrys_`/`sntryu_`, or the legacy 64 hex digits)
    // and DSN keys (32 hex digits).
    Format {
        names: &["sentry"],
        with: &[],
        shape: r"sntry[su]_[A-Za-z0-9+/=_-]{30,}|[0-9a-fA-F]{64}|[0-9a-fA-F]{32}",
    },
    // Sendbird API tokens: 40 hex digits.
    Format {
        names: &["sendbird"],
        with: &[],
        shape: r"[0-9a-fA-F]{40}",
    },
    // SendGrid API keys: `SG.` + 22 + `.` + 43.
    Format {
        names: &["sendgrid"],
        with: &[],
        shape: r"SG\.[A-Za-z0-9_-]{20,24}\.[A-Za-z0-9_-]{39,47}",
    },
    // Shopify access tokens, shared secrets (`shpat_`, `shpss_`… + 32 hex),
    // Partner API tokens (`prtapi_`) and the legacy API keys and secrets (32
    // hex digits).
    Format {
        names: &["shopify"],
        with: &[],
        shape: r"shp[a-z]{2,4}_[0-9a-fA-F]{32}|prtapi_[0-9a-fA-F]{32}|[0-9a-fA-F]{32}",
    },
    // Sidekiq Enterprise credentials in Bundler's config: two 8-hex halves.
    Format {
        names: &["contribsys"],
        with: &[],
        shape: r"[0-9a-fA-F]{8}:[0-9a-fA-F]{8}",
    },
    // Slack tokens (`xox…-`, app-level `xapp-`) and the legacy verification
    // tokens (24 alphanumerics); its signing secrets are free-form.
    Format {
        names: &["slack"],
        with: &["token"],
        shape: r"xox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]{10,}|xapp-[0-9]-[A-Za-z0-9-]{20,}|[A-Za-z0-9]{24}",
    },
    // Stripe API keys: `sk_`, `pk_` or `rk_`, `live_` or `test_`, the key.
    Format {
        names: &["stripe"],
        with: &["key"],
        shape: r"(?:sk|pk|rk)_(?:[a-z]{2,8}_)?(?:live|test)_[A-Za-z0-9]{10,247}",
    },
    // Sumo Logic access ids (`su` + 12) and access keys (64 alphanumerics).
    Format {
        names: &["sumologic", "sumo_logic", "sumo"],
        with: &[],
        shape: r"su[A-Za-z0-9]{12}|[A-Za-z0-9]{64}",
    },
    // Supabase access tokens (`sbp_` + 40 hex), the newer `sb_secret_` and
    // `sb_publishable_` keys, and the JWT-shaped anon and service keys.
    // (Its JWT secret and database password are free-form, not checked.)
    Format {
        names: &["supabase"],
        with: &["key"],
        shape: r"sbp_[0-9a-f]{40}|sb_(?:secret|publishable)_[A-Za-z0-9_-]{20,}|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+",
    },
    Format {
        names: &["supabase"],
        with: &["token"],
        shape: r"sbp_[0-9a-f]{40}|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+",
    },
    // Telegram bot tokens: the bot id, `:`, 35 characters of base64url.
    Format {
        names: &["telegram"],
        with: &["token"],
        shape: r"[0-9]{6,12}:[A-Za-z0-9_-]{35}",
    },
    // Terraform Cloud / Enterprise API tokens: 14, `.atlasv1.`, 60 or more.
    Format {
        names: &["terraform", "tfe", "tfc"],
        with: &["token"],
        shape: r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,}",
    },
    // Trello API keys (32 hex), tokens and secrets (64 hex, or `ATTA` and
    // the newer token).
    Format {
        names: &["trello"],
        with: &[],
        shape: r"[0-9a-fA-F]{32}|[0-9a-fA-F]{64}|ATTA[A-Za-z0-9]{60,80}",
    },
    // Twilio: account and API key SIDs (`AC`/`SK` + 32 hex), auth tokens
    // (32 hex) and API key secrets (32 alphanumerics).
    Format {
        names: &["twilio"],
        with: &[],
        shape: r"(?:AC|SK)[0-9a-fA-F]{32}|[A-Za-z0-9]{32}",
    },
    // Unkey root keys (`unkey_` + 20 to 32) and the API keys it issues: a
    // prefix the owner picks, `_`, 16 random bytes or more in base58.
    Format {
        names: &["unkey"],
        with: &[],
        shape: r"unkey_[A-Za-z0-9]{20,32}|[A-Za-z0-9]{1,16}_[1-9A-HJ-NP-Za-km-z]{16,}",
    },
    // Upstage API keys: `up_` + 29.
    Format {
        names: &["upstage"],
        with: &[],
        shape: r"up_[A-Za-z0-9]{29}",
    },
    // Vercel tokens: the legacy 24 alphanumerics, or `vcp_`, `vci_`, `vca_`,
    // `vcr_`, `vck_` + 56 (under a token's or a key's name; its bypass and
    // cron secrets are free-form).
    Format {
        names: &["vercel"],
        with: &["token"],
        shape: r"[A-Za-z0-9]{24}|vc[a-z]_[A-Za-z0-9_-]{56}",
    },
    Format {
        names: &["vercel"],
        with: &["key"],
        shape: r"[A-Za-z0-9]{24}|vc[a-z]_[A-Za-z0-9_-]{56}",
    },
    // xAI API keys: `xai-` + 80.
    Format {
        names: &["xai"],
        with: &[],
        shape: r"xai-[A-Za-z0-9_]{80}",
    },
    // Zendesk API tokens (40 alphanumerics) and OAuth tokens (64 hex).
    Format {
        names: &["zendesk"],
        with: &[],
        shape: r"[A-Za-z0-9]{40}|[0-9a-fA-F]{64}",
    },
    // Weights & Biases API keys: 40 hex digits (`local-` on a self-hosted
    // server), or the newer `wandb_v1_` keys.
    Format {
        names: &["wandb", "weightsandbiases"],
        with: &[],
        shape: r"(?:local-)?[0-9a-f]{40}|wandb_v[0-9]_[A-Za-z0-9_]{77,}",
    },
];

/// Words of keys whose values the owner chooses whatever the provider
/// (`MERAKI_WEBHOOK_SECRET`, a signing or encryption key): never checked.
const FREE_FORM: &[&str] = &["webhook", "signing", "hmac", "jwt", "encrypt"];

/// Whole words of keys (see [`key_words`]) naming a password or an SMTP
/// login, also free-form (`MAILGUN_SMTP_PASS`); whole words, so that
/// `1password` or `compass` stay names.
const FREE_FORM_WORDS: &[&str] = &["pass", "password", "passwd", "passphrase", "pwd", "smtp"];

/// Each format's compiled shape, built on first use (a scanner that never
/// meets a provider-named generic value never compiles one).
static SHAPES: [OnceLock<Option<Regex>>; FORMATS.len()] =
    [const { OnceLock::new() }; FORMATS.len()];

/// The provider a generic value's key names, when the value has none of
/// that provider's credential shapes (see the module docs). `line` is the
/// value's line and `start` where the value starts in it.
pub(crate) fn misnamed(value: &[u8], line: &[u8], start: usize) -> Option<&'static str> {
    let key = assigned_key(line.get(..start)?);
    if key.len() < 3 {
        return None;
    }
    let lower = key.to_ascii_lowercase();
    if FREE_FORM
        .iter()
        .any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some())
        || key_words(key).any(|w| {
            FREE_FORM_WORDS
                .iter()
                .any(|f| w.eq_ignore_ascii_case(f.as_bytes()))
        })
    {
        return None;
    }
    let mut named = None;
    for (i, format) in FORMATS.iter().enumerate() {
        if !names(format, key, &lower) {
            continue;
        }
        let shape = SHAPES[i].get_or_init(|| Regex::new(&format!("^(?:{})$", format.shape)).ok());
        match shape {
            Some(re) if re.is_match(value) => return None,
            // A shape that does not compile (never, for this fixed list)
            // keeps the value: the check only ever drops.
            None => return None,
            Some(_) => named = named.or(format.names.first().copied()),
        }
    }
    named
}

/// True when `key` (and its lowercase form) names `format`'s credential.
fn names(format: &Format, key: &[u8], lower: &[u8]) -> bool {
    let named = format.names.iter().any(|name| {
        if name.len() >= 5 {
            memchr::memmem::find(lower, name.as_bytes()).is_some()
        } else {
            key_words(key).any(|w| w.eq_ignore_ascii_case(name.as_bytes()))
        }
    });
    named
        && format
            .with
            .iter()
            .all(|w| memchr::memmem::find(lower, w.as_bytes()).is_some())
}

/// The key a value is assigned to: the name (words joined by `_`, `-`,
/// `.` or spaces, at most 64 bytes) right before the operator and quotes
/// that lead to the value (`AWS_SECRET_KEY` in `export AWS_SECRET_KEY="…"`,
/// `ollama key` in `ollama key = …`, `token` in `f(token: …)`).
fn assigned_key(head: &[u8]) -> &[u8] {
    let end = head
        .iter()
        .rposition(|b| !b" \t\"'`=:>,?|([{".contains(b))
        .map_or(0, |i| i + 1);
    let head = &head[..end];
    let start = head
        .iter()
        .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b' ')))
        .map_or(0, |i| i + 1)
        .max(end.saturating_sub(64));
    head[start..].trim_ascii()
}

/// The words of a key: split at every byte that is not a letter or digit
/// and where the case changes (`awsSecretKey`, `AWSSecretKey` → `aws`/`AWS`,
/// `Secret`, `Key`).
fn key_words(key: &[u8]) -> impl Iterator<Item = &[u8]> {
    key.split(|b| !b.is_ascii_alphanumeric())
        .flat_map(camel_words)
}

/// `part` split at its case changes (see [`key_words`]).
fn camel_words(part: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < part.len() {
            let cut = i > start
                && part[i].is_ascii_uppercase()
                && (!part[i - 1].is_ascii_uppercase()
                    || part.get(i + 1).is_some_and(u8::is_ascii_lowercase));
            if cut {
                let word = &part[start..i];
                start = i;
                return Some(word);
            }
            i += 1;
        }
        (start < part.len()).then(|| {
            let word = &part[start..];
            start = part.len();
            word
        })
    })
    .filter(|w| !w.is_empty())
}

#[cfg(test)]
#[path = "tests/named.rs"]
mod tests;
