//! Any bytes as the body of a hiring request: decoded and parsed as the handler does, answered
//! with a refusal or a lead, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = jobprofiles::fuzzing::form_body(data);
});
