//! Credentials their owners published as examples: keys that ship in public
//! SDK sources and documentation, known to every scanner that reads those
//! repositories and useless to an attacker. Kept as data (SHA-1 of the
//! value, so the list itself holds no key) with where each one comes from.
//! Users who want them reported set `sample_values = true`.

/// One published value: the SHA-1 of its bytes, and its source.
struct Published {
    sha1: &'static str,
    source: &'static str,
}

const FIREBASE_ANDROID_SDK: &str =
    "example Google API keys in the tests and samples of github.com/firebase/firebase-android-sdk";
const YARN_BERRY: &str =
    "the public search key in Yarn's bundled CLI (github.com/yarnpkg/berry/issues/6201)";
const AZURITE: &str = "the account key of the Azure storage emulators (Azurite, the older \
     Storage Emulator) for `devstoreaccount1`, the same on every install and printed in \
     Microsoft's documentation";
const COSMOS_EMULATOR: &str = "the primary key of the Azure Cosmos DB emulator, the same on \
     every install and printed in Microsoft's documentation";

const SPRING_SECURITY_DOCS: &str = "the bcrypt hash of `password` in Spring Security's \
     reference documentation and Javadoc (`User.withDefaultPasswordEncoder`, \
     `DelegatingPasswordEncoder`), copied into countless tutorials";

/// Every published value, sorted by nothing in particular (the list is short).
const PUBLISHED: &[Published] = &[
    Published {
        sha1: "610254dd5fa43ed5acda8235b50e685002110553",
        source: FIREBASE_ANDROID_SDK,
    },
    Published {
        sha1: "c1f8b9a3dde3c3ab373b10c7d10a225f463925cd",
        source: FIREBASE_ANDROID_SDK,
    },
    Published {
        sha1: "f3f44f860c476ada54b1aab0187d1cc2fd0d0e87",
        source: FIREBASE_ANDROID_SDK,
    },
    Published {
        sha1: "f35425a8bdd15ee10fa6b4578faeed6b221859ce",
        source: FIREBASE_ANDROID_SDK,
    },
    Published {
        sha1: "b08e012d714a109ee96b34cc5a0c9c2e7ed8d769",
        source: FIREBASE_ANDROID_SDK,
    },
    Published {
        sha1: "64a8ec96ff7c1f2a3ca6203f329822da1ac5d836",
        source: FIREBASE_ANDROID_SDK,
    },
    Published {
        sha1: "adc4fbfaf2488c787b2f89853d45bd56e852914e",
        source: FIREBASE_ANDROID_SDK,
    },
    Published {
        sha1: "43dcc07885e54b573c9f085be3749107890e93ec",
        source: FIREBASE_ANDROID_SDK,
    },
    Published {
        sha1: "767249479854747822994556243a51de112076cb",
        source: FIREBASE_ANDROID_SDK,
    },
    Published {
        sha1: "8604acf99b2143abfe6ba97c7090b647753b4132",
        source: FIREBASE_ANDROID_SDK,
    },
    Published {
        sha1: "aeba977081f557a09d006463272f938094c0c06c",
        source: FIREBASE_ANDROID_SDK,
    },
    Published {
        sha1: "77aa1a965bd0f5ecccd9942ee140021b8ba568e2",
        source: FIREBASE_ANDROID_SDK,
    },
    Published {
        sha1: "0a9d44f07d082fa470b4616092810da4e8773476",
        source: FIREBASE_ANDROID_SDK,
    },
    Published {
        sha1: "dcccd786a73796604f63bdd023053bfedbf1d751",
        source: FIREBASE_ANDROID_SDK,
    },
    Published {
        sha1: "9e0b559f59a9fb2f60c6e048875b5fa5851713c7",
        source: FIREBASE_ANDROID_SDK,
    },
    Published {
        sha1: "f3b25215a08aca0106fe4e91e85cea25199ab84a",
        source: FIREBASE_ANDROID_SDK,
    },
    Published {
        sha1: "92bf970fbfbcc024a0dc74f879871b3cad344ab8",
        source: YARN_BERRY,
    },
    Published {
        sha1: "726684b05966cd486e3461450ac94907c0b6709a",
        source: AZURITE,
    },
    Published {
        sha1: "589c2d30c725c063a05a59110ea5888a80a28f15",
        source: COSMOS_EMULATOR,
    },
    Published {
        sha1: "5bd3c8fea266db01fb56e6ba8b380bfb58fa220d",
        source: SPRING_SECURITY_DOCS,
    },
];

/// The lengths of the published values: a value of another length is not
/// hashed at all.
const LENGTHS: &[usize] = &[32, 39, 60, 88];

/// Where `value` was published, when it is one of the known example keys.
pub(crate) fn published(value: &[u8]) -> Option<&'static str> {
    if !LENGTHS.contains(&value.len()) {
        return None;
    }
    let digest = crate::finding::sha1_hex(value);
    PUBLISHED
        .iter()
        .find(|p| p.sha1 == digest)
        .map(|p| p.source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_a_sha1_and_lengths_cover_the_list() {
        for p in PUBLISHED {
            assert_eq!(p.sha1.len(), 40);
            assert!(p
                .sha1
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
            assert!(!p.source.is_empty());
        }
    }

    #[test]
    fn published_keys_are_known_and_others_are_not() {
        // Built from pieces so this file holds no key-shaped string.
        let firebase = ["AIzaSyAnLA7Nfe", "LquW1tJFpx_eQCxoX-oo6YyIs"].concat();
        assert_eq!(published(firebase.as_bytes()), Some(FIREBASE_ANDROID_SDK));
        let yarn = ["6fe4476ee5a18328", "82e326b506d14126"].concat();
        assert_eq!(published(yarn.as_bytes()), Some(YARN_BERRY));
        // One character changed: a different key.
        let other = ["AIzaSyAnLA7Nfe", "LquW1tJFpx_eQCxoX-oo6YyIt"].concat();
        assert_eq!(published(other.as_bytes()), None);
        assert_eq!(published(b""), None);
        let azurite = [
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2U",
            "VErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
        ]
        .concat();
        assert_eq!(published(azurite.as_bytes()), Some(AZURITE));
        let cosmos = [
            "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTq",
            "obD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
        ]
        .concat();
        assert_eq!(published(cosmos.as_bytes()), Some(COSMOS_EMULATOR));
        let spring = [
            "$2a$10$dXJ3SW6G7P50lGmMkkmwe.",
            "20cQQubK3.HZWzG3YB1tlRy.fqvM/BG",
        ]
        .concat();
        assert_eq!(published(spring.as_bytes()), Some(SPRING_SECURITY_DOCS));
    }

    #[test]
    fn every_length_is_a_published_length() {
        // A length without a value only costs a hash; a value whose length
        // is missing is never recognised.
        let spring = [
            "$2a$10$dXJ3SW6G7P50lGmMkkmwe.",
            "20cQQubK3.HZWzG3YB1tlRy.fqvM/BG",
        ]
        .concat();
        assert!(LENGTHS.contains(&spring.len()));
    }

    #[test]
    fn the_storage_emulator_key_is_not_reported() {
        // A connection string every Azurite user writes: the emulator's key
        // is public, another account's key of the same shape is not.
        let scanner = crate::Scanner::builder()
            .build()
            .expect("built-in rules build");
        let key = [
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2U",
            "VErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
        ]
        .concat();
        let line = |k: &str| {
            format!("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={k};\n")
        };
        assert!(scanner.scan_bytes(line(&key).as_bytes()).is_empty());
        let other = key.replace("Eby8", "Fby8");
        assert!(!scanner.scan_bytes(line(&other).as_bytes()).is_empty());
    }
}
