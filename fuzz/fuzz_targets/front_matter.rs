//! A content file's text, read as a profile and as a page: front matter split and parsed, every
//! field checked, the body rendered, each problem printed as `check` prints it. Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The loader refuses a file that is not UTF-8 before any parser sees it.
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = jobprofiles::fuzzing::content_file(text);
    }
});
