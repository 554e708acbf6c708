//! Any Markdown renders without a panic, and what it renders stays within the sanitiser's
//! allow-list: no script, no `javascript:` URL in any spelling.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Err(unsafe_html) = jobprofiles::fuzzing::markdown(text)
    {
        panic!("{unsafe_html}; from {text:?}");
    }
});
