// limits.h: every size, count and depth limit applied to untrusted input (STYLE.md rule 20).
//
// One constexpr per limit, each with its reason. docs/design/LIMITS.md is generated from this file
// by tools/gen_limits_doc.py, so keep the one-line comment format: `// <reason>` above each value.
#pragma once

#include <cstddef>
#include <cstdint>

namespace av::limits {

inline constexpr std::size_t kKiB = 1024;
inline constexpr std::size_t kMiB = 1024 * kKiB;

// --- Files ---------------------------------------------------------------------------------
// The AWS config file; upstream reads any size, real files are a few KiB, 100k profiles ~4 MiB.
inline constexpr std::size_t kMaxConfigFileBytes = 16 * kMiB;
// aws-vault's own TOML settings file.
inline constexpr std::size_t kMaxSettingsFileBytes = 1 * kMiB;
// One line of any line-oriented text file we parse.
inline constexpr std::size_t kMaxLineBytes = 64 * kKiB;
// Section headers in one AWS config file (the issue 3 benchmark uses 100k profiles).
inline constexpr std::size_t kMaxIniSections = 250'000;
// Key lines plus nested-value lines in one AWS config file (bounds memory, ~100 B each).
inline constexpr std::size_t kMaxIniKeys = 1'000'000;
// One INI value after joining continuation or multi-line (triple-quote, backtick) lines.
inline constexpr std::size_t kMaxIniValueBytes = 64 * kKiB;
// Profiles one include_profile walk or one source_profile chain visits (bounds the record chain).
inline constexpr std::size_t kMaxProfileChainDepth = 64;
// A file read whole by platform::read_file unless the caller passes a smaller limit.
inline constexpr std::size_t kMaxReadFileBytes = 16 * kMiB;
// Names listed from one directory (the file keyring backend holds one file per item).
inline constexpr std::size_t kMaxDirEntries = 100'000;

// --- Secrets -------------------------------------------------------------------------------
// One secret value (session tokens are a few KiB; SSO tokens up to ~4 KiB).
inline constexpr std::size_t kMaxSecretBytes = 8 * kKiB;
// A keyring item holding a JSON document of secrets (credentials, cached sessions).
inline constexpr std::size_t kMaxSecretItemBytes = 64 * kKiB;
// A line typed at a terminal prompt (access key, MFA code, passphrase).
inline constexpr std::size_t kMaxPromptBytes = 1 * kKiB;
// Filter text typed into the interactive profile picker (profile names are far shorter).
inline constexpr std::size_t kMaxPickerFilterBytes = 256;
// Text of a base64/base64url/hex encoding of secret material (hex of the largest keyring item).
inline constexpr std::size_t kMaxEncodedSecretChars = 2 * kMaxSecretItemBytes;
// A keyring item key (profile name, session key with its base64url fields, oidc:<url>).
inline constexpr std::size_t kMaxKeyringKeyBytes = 4 * kKiB;
// A keyring item Label or Description (upstream labels are under 200 bytes).
inline constexpr std::size_t kMaxKeyringLabelBytes = 4 * kKiB;
// A serialised keyring Item JSON document (base64 Data plus Go-escaped key, label, description).
inline constexpr std::size_t kMaxItemJsonBytes = 256 * kKiB;

// --- Encodings -----------------------------------------------------------------------------
// JSON documents we parse (STS/SSO bodies, keyring items, credential_process output).
inline constexpr std::size_t kMaxJsonBytes = 1 * kMiB;
// Nesting of arrays and objects together.
inline constexpr std::size_t kMaxJsonDepth = 64;
// Members of one object or elements of one array.
inline constexpr std::size_t kMaxJsonContainerElements = 100'000;
// One JSON string after unescaping.
inline constexpr std::size_t kMaxJsonStringBytes = 256 * kKiB;
// A base64/base64url/hex input.
inline constexpr std::size_t kMaxEncodedBytes = 4 * kMiB;
// A Go duration string ("1h30m", "12h0m0s").
inline constexpr std::size_t kMaxDurationChars = 64;
// An RFC 3339 timestamp with fractional seconds and offset.
inline constexpr std::size_t kMaxTimestampChars = 64;
// Nesting of tables and arrays in a TOML document we convert (settings need depth 2).
inline constexpr std::size_t kMaxTomlDepth = 32;
// '.' bytes on one TOML line: bounds dotted-key depth, which toml++ does not limit (it recurses).
inline constexpr std::size_t kMaxTomlDotsPerLine = 256;

// --- Command line --------------------------------------------------------------------------
// Arguments after @file expansion.
inline constexpr std::size_t kMaxArgs = 4096;
// One argument or flag value.
inline constexpr std::size_t kMaxArgBytes = 128 * kKiB;

// --- Network and IPC (used by later layers; values from STYLE.md §3.6) ---------------------
// All header lines of one HTTP message together.
inline constexpr std::size_t kMaxHttpHeaderBytes = 64 * kKiB;
// One HTTP body; STS, SSO and IAM responses are a few KiB.
inline constexpr std::size_t kMaxHttpBodyBytes = 1 * kMiB;
// Element nesting in STS/IAM XML responses.
inline constexpr std::size_t kMaxXmlDepth = 32;
// A JWE compact token in the file backend.
inline constexpr std::size_t kMaxJweCompactBytes = 1 * kMiB;
// Below this a PBES2 password hash is too cheap to be an aws-vault file.
inline constexpr std::uint32_t kMinPbes2Iterations = 1000;
// jose2go accepts at most 1,300,000 PBES2 iterations for this algorithm and writes 8,192.
inline constexpr std::uint32_t kMaxPbes2Iterations = 1'300'000;
// RFC 7518 §4.8.1.1: a PBES2 salt input (decoded p2s) is at least 8 bytes.
inline constexpr std::size_t kMinPbes2SaltBytes = 8;
// Upper bound on a decoded p2s we read (jose2go writes 12 bytes, jwcrypto 16).
inline constexpr std::size_t kMaxPbes2SaltBytes = 64;
// The D-Bus spec allows 128 MiB; keyring traffic is tiny.
inline constexpr std::size_t kMaxDbusMessageBytes = 1 * kMiB;
// Arrays, structs, dict entries and variants together.
inline constexpr std::size_t kMaxDbusContainerDepth = 32;
// Output captured from a helper process (credential_process, mfa_process, pass).
inline constexpr std::size_t kMaxProcessOutputBytes = 1 * kMiB;

// --- Cryptography --------------------------------------------------------------------------
// PBKDF2 iterations crypto::pbkdf2_hmac_sha256 runs at most (CPU bound; PBES2 allows fewer).
inline constexpr std::uint32_t kMaxPbkdf2Iterations = 10'000'000;
// PBKDF2 salt (PBES2: algorithm name, a NUL and the decoded p2s).
inline constexpr std::size_t kMaxPbkdf2SaltBytes = 1 * kKiB;
// Key material derived by one PBKDF2 call (AES keys need 16-32; RFC 7914 vectors use 64).
inline constexpr std::size_t kMaxPbkdf2KeyBytes = 1 * kKiB;
// Key data wrapped or unwrapped with RFC 3394 AES key wrap (a JWE CEK is 32 bytes).
inline constexpr std::size_t kMaxKeyWrapBytes = 1 * kKiB;

// Header fields in one HTTP response head (AWS responses carry about a dozen).
inline constexpr std::size_t kMaxHttpHeaderCount = 100;
// One chunk-size line of a chunked HTTP body, extensions included.
inline constexpr std::size_t kMaxHttpChunkLineBytes = 4 * kKiB;
// All trailer fields after the last chunk of a chunked HTTP body together.
inline constexpr std::size_t kMaxHttpTrailerBytes = 16 * kKiB;
// An http/https URL we parse (endpoints, proxy URLs, SSO start URLs).
inline constexpr std::size_t kMaxUrlBytes = 8 * kKiB;
// Comma-separated entries in NO_PROXY / no_proxy.
inline constexpr std::size_t kMaxNoProxyEntries = 1000;

// Values (of any type, containers included) in one D-Bus message, so a 1 MiB message of tiny
// elements cannot expand into hundreds of megabytes of parsed values.
inline constexpr std::size_t kMaxDbusValues = 65536;

// An XML response document (STS/IAM bodies are a few KiB; same bound as an HTTP body).
inline constexpr std::size_t kMaxXmlBytes = 1 * kMiB;
// One XML element or attribute name, prefix included.
inline constexpr std::size_t kMaxXmlNameBytes = 256;
// Attributes on one XML element (AWS responses carry one xmlns).
inline constexpr std::size_t kMaxXmlAttributes = 32;
// Decoded text of one XML element or attribute value (session tokens are a few KiB).
inline constexpr std::size_t kMaxXmlTextBytes = 64 * kKiB;
// Members of one list in an AWS query response (IAM pages hold at most 1000 items).
inline constexpr std::size_t kMaxAwsListMembers = 1000;

// Stderr kept from a helper process for error messages (the rest is read and dropped).
inline constexpr std::size_t kMaxProcessStderrBytes = 16 * kKiB;
// Directory nesting below a pass/passage store prefix that keys() walks.
inline constexpr std::size_t kMaxPassStoreDepth = 32;
// Entries (files and directories) keys() visits in one pass/passage store walk.
inline constexpr std::size_t kMaxPassStoreEntries = 20'000;

// A `user` key payload: the kernel's own maximum (security/keys/user_defined.c), checked first.
inline constexpr std::size_t kMaxKeyctlUserPayloadBytes = 32'767;
// A key description or keyring name (kernel KEY_MAX_DESC_SIZE minus the NUL).
inline constexpr std::size_t kMaxKeyctlDescriptionBytes = 4'095;
// One KEYCTL_READ result (a payload, or a keyring's serial list; big_key payloads stay below).
inline constexpr std::size_t kMaxKeyctlReadBytes = 1 * kMiB;

// A PEM CA bundle file (Debian's ca-certificates.crt is ~220 KiB; corporate bundles are larger).
inline constexpr std::size_t kMaxCaBundleBytes = 8 * kMiB;
// The Proxy-Authorization header value built from a proxy URL's user:password.
inline constexpr std::size_t kMaxProxyCredentialBytes = 4 * kKiB;

// 1xx interim responses skipped before the final one (Go's net/http allows 5).
inline constexpr std::size_t kMaxHttpInterimResponses = 5;

// A web identity token (file or process output); STS AssumeRoleWithWebIdentity takes <= 20,000.
inline constexpr std::size_t kMaxWebIdentityTokenBytes = 20'000;

// Stdout of an mfa_process or MFA prompt helper (a code is a few digits; pass otp prints one line).
inline constexpr std::size_t kMaxMfaHelperOutputBytes = 4 * kKiB;

// Credential servers (server/request_parser.h). Real SDK requests are a few hundred bytes.
// The request line of one request to the ECS or EC2 credential server.
inline constexpr std::size_t kMaxServerRequestLine = 4 * kKiB;
// The request line plus all header lines of one request.
inline constexpr std::size_t kMaxServerRequestHead = 16 * kKiB;
// Header fields in one request.
inline constexpr std::size_t kMaxServerRequestHeaders = 64;
// A request body (the servers take none; small bodies are read and ignored).
inline constexpr std::size_t kMaxServerRequestBody = 4 * kKiB;

// A credential-server reply body (credentials JSON is 1-3 KiB; error texts are shorter). The
// handler appends into a per-connection locked buffer of exactly this capacity.
inline constexpr std::size_t kMaxServerReplyBody = 8 * kKiB;
// A credential-server reply head: status line, framing and the handler's extra headers.
inline constexpr std::size_t kMaxServerReplyHead = 8 * kKiB;
// /proc/net/tcp or /proc/net/tcp6 read to find a loopback peer's owner (about 150 bytes per
// socket, so some 200,000 sockets).
inline constexpr std::size_t kMaxProcNetTcpBytes = 32 * kMiB;
// One line of /proc/net/tcp6 (the kernel pads lines to 150 characters; tcp6 lines are ~170).
inline constexpr std::size_t kMaxProcNetTcpLine = 512;

// SSO: scopes in one cached OIDC client registration (sso_registration_scopes; AWS
// uses one or two) and the request head the loopback redirect listener reads from the browser
// (one GET with the authorization code in its query; browsers send a few KiB of headers).
inline constexpr std::size_t kMaxOidcScopes = 64;
inline constexpr std::size_t kMaxSsoCallbackRequestBytes = 16 * kKiB;

// Console sign-in (aws/signin.h). The Session JSON of a getSigninToken request (key id, secret
// key and session token, JSON-escaped); the whole request URL is further bound by kMaxUrlBytes.
inline constexpr std::size_t kMaxSigninSessionBytes = 16 * kKiB;
// The getSigninToken response body ({"SigninToken":"..."}, about 1-2 KiB in practice).
inline constexpr std::size_t kMaxSigninResponseBytes = 64 * kKiB;
// A console login URL: the token escaped twice in the --auto-logout form (up to 9 bytes per
// byte of a kMaxSecretBytes token) plus the destination.
inline constexpr std::size_t kMaxLoginUrlBytes = 128 * kKiB;

// The EC2 metadata proxy (server/proxy.h, `aws-vault proxy`). SDKs open one or two connections
// at a time; the cap bounds what a local flood can make the proxy hold.
inline constexpr std::size_t kMaxProxyConnections = 64;
// Relay buffer per direction and connection (locked memory: replies carry credentials). A
// credential reply is about 1.5 KiB.
inline constexpr std::size_t kProxyRelayBufferBytes = 16 * kKiB;
// The proxy's secret file: 43 base64url characters (an optional final newline is refused).
inline constexpr std::size_t kMaxProxyTokenFileBytes = 64;

}  // namespace av::limits
