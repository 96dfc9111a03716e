//! Fuzz target `consent_cookie`: the rule is `certwise::fuzzing::consent_cookie`'s.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| certwise::fuzzing::consent_cookie::check(data));
