#!/usr/bin/python3
"""sso_fake.py: a loopback fake of IAM Identity Center for the SSO tests (spec §10): the SSO-OIDC
service (RegisterClient, StartDeviceAuthorization, CreateToken for the device-code,
authorization-code + PKCE and refresh-token grants), the user's browser side of both flows
(/authorize and /device), and the SSO portal's GetRoleCredentials.

Written from AWS's public API references (SSO OIDC 2019-06-10, SSO 2019-06-10) and RFC 6749,
7636 and 8628; it is a test double, not a reimplementation of AWS. Standard library only: runs
under both python3 (pyenv) and /usr/bin/python3.

Command line (C++ fixture: tests/support/sso_fake.h, class SsoFake):

  sso_fake.py [--interval N] [--token-lifetime N] [--device-expires-in N] [--auto-approve]
              [--forever]

It binds 127.0.0.1:0, prints "PORT <n>" on stdout once it listens (the http_fake.py handshake)
and exits when stdin reaches EOF, so it never outlives the test; --forever ignores stdin (manual
use). Every connection serves one request and is closed.

SSO-OIDC (REST-JSON, POST with a JSON body; base URL http://127.0.0.1:<port>):
  POST /client/register        {clientName, clientType:"public", scopes?, grantTypes?,
                               redirectUris?, issuerUrl?} -> {clientId, clientSecret,
                               clientIdIssuedAt, clientSecretExpiresAt} (epoch seconds).
                               grantTypes containing authorization_code need loopback http
                               redirectUris and an issuerUrl.
  POST /device_authorization   {clientId, clientSecret, startUrl} -> {deviceCode, userCode,
                               verificationUri, verificationUriComplete (this fake's
                               /device?user_code=..), expiresIn, interval}
  POST /token                  {clientId, clientSecret, grantType, deviceCode | code +
                               redirectUri + codeVerifier | refreshToken}
                               -> {accessToken, tokenType:"Bearer", expiresIn, refreshToken?,
                               idToken?}
    device_code (urn:ietf:params:oauth:grant-type:device_code): authorization_pending until
      the user code is approved; slow_down when polled faster than the interval (the
      interval for that code then grows by 5 s, RFC 8628) or during a slow_down storm;
      expired_token after expiresIn; access_denied when the user denied; invalid_grant for an
      unknown or already used device code or one of another client.
    authorization_code: codes are single use and expire after 300 s; the redirectUri must be
      exactly the one given to /authorize and BASE64URL(SHA256(codeVerifier)) must equal the
      code_challenge; otherwise invalid_grant.
    refresh_token: every use rotates the refresh token (the old one stops working); revoked
      or stale refresh tokens answer invalid_grant.
    Refresh tokens are issued by the authorization-code grant, and by the device grant when
    the client registered scopes or the refresh_token grant type (control "refresh_tokens").
  Errors: HTTP 400 (InvalidClientException: 401, InternalServerException: 500) with header
  x-amzn-ErrorType: <Type> and body {"error": "<oauth code>", "error_description": "..."}
  (control "error_style" changes that). Client authentication failures (unknown client, wrong
  or expired secret) are InvalidClientException; a grant type the client did not register is
  UnauthorizedClientException; an unknown grant type UnsupportedGrantTypeException; a missing
  or malformed field InvalidRequestException.

Browser side:
  GET /authorize?response_type=code&client_id=..&redirect_uri=..&state=..
      &code_challenge_method=S256&scopes=..&code_challenge=..
      Validates client_id and redirect_uri (http, 127.0.0.1/localhost/[::1] and, when the
      client registered redirectUris, matching one of them ignoring the port, RFC 8252 §7.3);
      if either is bad: 400 text page, no redirect. Otherwise 302 to redirect_uri with
      ?code=..&state=<state>, or ?error=invalid_request&.. (wrong response_type, method not
      S256, no challenge, no state), or ?error=access_denied&.. (control deny_next_authorization),
      or with a wrong state (control bad_state).
  GET /device?user_code=..[&action=deny]   the user clicking Allow (or Deny): 200 text page;
      404 for an unknown code, 400 for an expired one. deny_next_authorization turns the next
      approval into a denial.

SSO portal (REST-JSON):
  GET /federation/credentials?account_id=..&role_name=..  header x-amz-sso_bearer_token
      -> {"roleCredentials": {accessKeyId, secretAccessKey, sessionToken,
      expiration (ms since epoch)}}. 401 UnauthorizedException for a missing, unknown or
      expired token; 400 InvalidRequestException for missing parameters; 403
      ForbiddenException "No access" when control "roles" is set and the pair is not listed.
      Portal errors: header x-amzn-ErrorType + body {"message": ".."}.

Control API for tests:
  POST /_control  JSON object; every key is optional, applied in this order:
    "reset": true                  forget all clients, codes, tokens, stats and settings
    "advance": seconds             move this fake's clock forward (expiry of device codes,
                                   auth codes, access tokens, client secrets)
    "interval": n                  interval returned by /device_authorization (default 1)
    "enforce_interval": bool       answer slow_down when polled too fast (default true)
    "token_lifetime": n            expiresIn of new access tokens (default 28800)
    "device_expires_in": n         expiresIn of new device codes (default 600)
    "client_secret_lifetime": n    seconds until clientSecretExpiresAt (default 7776000)
    "role_lifetime": n             seconds until role credentials expire (default 3600)
    "auto_approve": bool           device codes are approved as soon as they are issued
    "deny_next_authorization": bool  the next user decision (/authorize, /device, auto
                                   approval) is a denial
    "bad_state": bool              the next /authorize redirects with a wrong state
    "slow_down": n                 the next n device-grant polls answer slow_down
    "expire_access_tokens": true   every access token issued so far is expired
    "stale_refresh_tokens": true   every refresh token issued so far is invalid
    "refresh_tokens": "auto" | "always" | "never"   when the device grant issues one
    "id_token": bool               token responses include an idToken
    "roles": [[account_id, role_name], ...] | null  roles the portal grants (null: all)
    "error_style": "both" | "header" | "body" | "type"  how errors are told: header and
                                   OAuth body (default), header + {"message"}, OAuth body
                                   only, {"__type", "message"} body only
    "inject": [{"path", "status", "body"?, "headers"?, "error_type"?, "error"?,
                "error_description"?}, ...]   one-shot replies, each used by the next request
                                   to that path: a raw body, or an error built from the
                                   other fields
  -> {"ok": true}; 400 for malformed control requests.
  GET /_stats -> {"registrations", "device_authorizations", "authorize_calls", "approvals",
    "denials", "token_calls": {"device_code", "authorization_code", "refresh_token", "other"},
    "token_errors": {"<Type>": n}, "role_credentials_calls", "clients": [registration
    without secret], "last_role_request": {"account_id", "role_name"} | null}
"""

import argparse
import base64
import hashlib
import json
import os
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlencode, urlsplit, urlunsplit

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
GRANT_NAMES = {DEVICE_GRANT: "device_code", "authorization_code": "authorization_code",
               "refresh_token": "refresh_token"}
OAUTH_CODES = {
    "AccessDeniedException": "access_denied",
    "AuthorizationPendingException": "authorization_pending",
    "ExpiredTokenException": "expired_token",
    "InternalServerException": "server_error",
    "InvalidClientException": "invalid_client",
    "InvalidClientMetadataException": "invalid_client_metadata",
    "InvalidGrantException": "invalid_grant",
    "InvalidRedirectUriException": "invalid_redirect_uri",
    "InvalidRequestException": "invalid_request",
    "InvalidScopeException": "invalid_scope",
    "SlowDownException": "slow_down",
    "UnauthorizedClientException": "unauthorized_client",
    "UnsupportedGrantTypeException": "unsupported_grant_type",
}
STATUS_FOR = {"InvalidClientException": 401, "InternalServerException": 500,
              "UnauthorizedException": 401, "ForbiddenException": 403,
              "ResourceNotFoundException": 404, "TooManyRequestsException": 429}
REASONS = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
           404: "Not Found", 405: "Method Not Allowed", 429: "Too Many Requests",
           500: "Internal Server Error", 503: "Service Unavailable"}
AUTH_CODE_LIFETIME = 300
MAX_BODY = 1024 * 1024


class ApiError(Exception):
    def __init__(self, error_type, description):
        super().__init__(description)
        self.error_type = error_type
        self.description = description


def default_settings():
    return {"interval": 1, "enforce_interval": True, "token_lifetime": 28800,
            "device_expires_in": 600, "client_secret_lifetime": 90 * 86400,
            "role_lifetime": 3600, "auto_approve": False, "deny_next_authorization": False,
            "bad_state": False, "slow_down": 0, "refresh_tokens": "auto", "id_token": False,
            "roles": None, "error_style": "both"}


def empty_stats():
    return {"registrations": 0, "device_authorizations": 0, "authorize_calls": 0,
            "approvals": 0, "denials": 0,
            "token_calls": {"device_code": 0, "authorization_code": 0, "refresh_token": 0,
                            "other": 0},
            "token_errors": {}, "role_credentials_calls": 0, "clients": [],
            "last_role_request": None}


class State:
    """Everything the fake knows; every access holds `lock`."""

    def __init__(self, args):
        self.lock = threading.Lock()
        self.base_settings = default_settings()
        self.base_settings.update({"interval": args.interval,
                                   "token_lifetime": args.token_lifetime,
                                   "device_expires_in": args.device_expires_in,
                                   "auto_approve": args.auto_approve})
        self.port = 0
        self.reset()

    def reset(self):
        self.settings = dict(self.base_settings)
        self.offset = 0
        self.clients = {}        # client_id -> registration
        self.devices = {}        # device_code -> authorization
        self.user_codes = {}     # user_code -> device_code
        self.auth_codes = {}     # code -> grant
        self.access_tokens = {}  # token -> {"expires_at", "client_id"}
        self.refresh_tokens = {}  # token -> {"client_id", "valid"}
        self.injections = []
        self.stats = empty_stats()

    def now(self):
        return time.time() + self.offset


STATE = None


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def new_token(prefix):
    return prefix + secrets.token_urlsafe(32)


def is_loopback_redirect(uri):
    try:
        parts = urlsplit(uri)
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError on a malformed port)
    except ValueError:
        return False
    return parts.scheme == "http" and host in ("127.0.0.1", "localhost", "::1")


def same_ignoring_port(a, b):
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.hostname, pa.path or "/", pa.query) == \
        (pb.scheme, pb.hostname, pb.path or "/", pb.query)


def require_string(body, name):
    value = body.get(name)
    if not isinstance(value, str) or value == "":
        raise ApiError("InvalidRequestException", "missing or invalid " + name)
    return value


def optional_string_list(body, name):
    value = body.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError("InvalidRequestException", name + " must be a list of strings")
    return value


# --- SSO-OIDC ------------------------------------------------------------------------------

def register_client(body):
    name = require_string(body, "clientName")
    client_type = require_string(body, "clientType")
    if client_type != "public":
        raise ApiError("InvalidClientMetadataException", "clientType must be public")
    scopes = optional_string_list(body, "scopes")
    grant_types = optional_string_list(body, "grantTypes")
    redirect_uris = optional_string_list(body, "redirectUris")
    issuer_url = body.get("issuerUrl")
    if issuer_url is not None and not isinstance(issuer_url, str):
        raise ApiError("InvalidRequestException", "issuerUrl must be a string")
    for grant in grant_types:
        if grant not in GRANT_NAMES:
            raise ApiError("UnsupportedGrantTypeException", "unsupported grant type " + grant)
    if "authorization_code" in grant_types:
        if not redirect_uris:
            raise ApiError("InvalidRedirectUriException", "redirectUris required")
        if not issuer_url:
            raise ApiError("InvalidRequestException", "issuerUrl required")
    for uri in redirect_uris:
        if not is_loopback_redirect(uri):
            raise ApiError("InvalidRedirectUriException", "redirect URI must be loopback http")
    with STATE.lock:
        now = STATE.now()
        client_id = "fakeclient-" + secrets.token_hex(8)
        registration = {"clientId": client_id, "clientName": name, "clientType": client_type,
                        "scopes": scopes, "grantTypes": grant_types,
                        "redirectUris": redirect_uris, "issuerUrl": issuer_url,
                        "clientIdIssuedAt": int(now),
                        "clientSecretExpiresAt":
                            int(now + STATE.settings["client_secret_lifetime"])}
        secret = new_token("fakesecret-")
        STATE.clients[client_id] = dict(registration, secret=secret)
        STATE.stats["registrations"] += 1
        STATE.stats["clients"].append(registration)
    return dict(registration_reply(registration), clientSecret=secret)


def registration_reply(registration):
    return {"clientId": registration["clientId"],
            "clientIdIssuedAt": registration["clientIdIssuedAt"],
            "clientSecretExpiresAt": registration["clientSecretExpiresAt"]}


def authenticate_client(body):
    """Returns the registration; the caller holds the lock."""
    client_id = require_string(body, "clientId")
    secret = require_string(body, "clientSecret")
    client = STATE.clients.get(client_id)
    if client is None or not secrets.compare_digest(client["secret"], secret):
        raise ApiError("InvalidClientException", "invalid client credentials")
    if STATE.now() >= client["clientSecretExpiresAt"]:
        raise ApiError("InvalidClientException", "client secret expired")
    return client


def decide(device):
    """A user decision on a device authorization; the caller holds the lock."""
    if STATE.settings["deny_next_authorization"]:
        STATE.settings["deny_next_authorization"] = False
        device["denied"] = True
        STATE.stats["denials"] += 1
        return "denied"
    device["approved"] = True
    STATE.stats["approvals"] += 1
    return "approved"


def start_device_authorization(body):
    with STATE.lock:
        client = authenticate_client(body)
        start_url = require_string(body, "startUrl")
        device_code = new_token("fakedevice-")
        alphabet = "BCDFGHJKLMNPQRSTVWXZ"
        user_code = "".join(secrets.choice(alphabet) for _ in range(4)) + "-" + \
            "".join(secrets.choice(alphabet) for _ in range(4))
        settings = STATE.settings
        device = {"client_id": client["clientId"], "user_code": user_code,
                  "start_url": start_url,
                  "expires_at": STATE.now() + settings["device_expires_in"],
                  "interval": settings["interval"], "last_poll": None,
                  "approved": False, "denied": False, "used": False}
        STATE.devices[device_code] = device
        STATE.user_codes[user_code] = device_code
        STATE.stats["device_authorizations"] += 1
        if settings["auto_approve"]:
            decide(device)
        base = "http://127.0.0.1:%d/device" % STATE.port
        return {"deviceCode": device_code, "userCode": user_code, "verificationUri": base,
                "verificationUriComplete": base + "?user_code=" + quote(user_code),
                "expiresIn": settings["device_expires_in"],
                "interval": settings["interval"]}


def issue_tokens(client, with_refresh):
    """Issues an access token (and a refresh token); the caller holds the lock."""
    lifetime = STATE.settings["token_lifetime"]
    access = new_token("fakeaccess-")
    STATE.access_tokens[access] = {"expires_at": STATE.now() + lifetime,
                                   "client_id": client["clientId"]}
    reply = {"accessToken": access, "tokenType": "Bearer", "expiresIn": lifetime}
    if with_refresh:
        refresh = new_token("fakerefresh-")
        STATE.refresh_tokens[refresh] = {"client_id": client["clientId"], "valid": True}
        reply["refreshToken"] = refresh
    if STATE.settings["id_token"]:
        claims = b64url(json.dumps({"sub": "fake-user", "aud": client["clientId"]}).encode())
        reply["idToken"] = "eyJhbGciOiJub25lIn0." + claims + "."
    return reply


def allowed_grant(client, grant):
    if client["grantTypes"]:
        return grant in client["grantTypes"]
    return grant in (DEVICE_GRANT, "refresh_token")


def grant_device(client, body):
    device_code = require_string(body, "deviceCode")
    device = STATE.devices.get(device_code)
    if device is None or device["used"] or device["client_id"] != client["clientId"]:
        raise ApiError("InvalidGrantException", "invalid device code")
    if STATE.now() >= device["expires_at"]:
        raise ApiError("ExpiredTokenException", "device code expired")
    if device["denied"]:
        raise ApiError("AccessDeniedException", "authorization denied by the user")
    settings = STATE.settings
    polled = time.monotonic()
    too_fast = (settings["enforce_interval"] and device["last_poll"] is not None and
                polled - device["last_poll"] < device["interval"] * 0.8)
    device["last_poll"] = polled
    if settings["slow_down"] > 0:
        settings["slow_down"] -= 1
        raise ApiError("SlowDownException", "polling too fast")
    if too_fast:
        device["interval"] += 5
        raise ApiError("SlowDownException", "polling too fast")
    if not device["approved"]:
        raise ApiError("AuthorizationPendingException", "authorization pending")
    device["used"] = True
    policy = settings["refresh_tokens"]
    with_refresh = policy == "always" or (
        policy == "auto" and (client["scopes"] or "refresh_token" in client["grantTypes"]))
    return issue_tokens(client, with_refresh)


def grant_code(client, body):
    code = require_string(body, "code")
    redirect_uri = require_string(body, "redirectUri")
    verifier = require_string(body, "codeVerifier")
    grant = STATE.auth_codes.get(code)
    if grant is None or grant["used"] or grant["client_id"] != client["clientId"]:
        raise ApiError("InvalidGrantException", "invalid authorization code")
    grant["used"] = True
    if STATE.now() >= grant["expires_at"]:
        raise ApiError("InvalidGrantException", "authorization code expired")
    if redirect_uri != grant["redirect_uri"]:
        raise ApiError("InvalidGrantException", "redirect URI mismatch")
    challenge = b64url(hashlib.sha256(verifier.encode("ascii", "replace")).digest())
    if not secrets.compare_digest(challenge, grant["challenge"]):
        raise ApiError("InvalidGrantException", "code verifier does not match the challenge")
    return issue_tokens(client, True)


def grant_refresh(client, body):
    token = require_string(body, "refreshToken")
    record = STATE.refresh_tokens.get(token)
    if record is None or not record["valid"] or record["client_id"] != client["clientId"]:
        raise ApiError("InvalidGrantException", "invalid refresh token")
    record["valid"] = False  # rotation: every refresh token works once
    return issue_tokens(client, True)


def create_token(body):
    with STATE.lock:
        grant = body.get("grantType")
        counter = GRANT_NAMES.get(grant, "other") if isinstance(grant, str) else "other"
        STATE.stats["token_calls"][counter] += 1
        try:
            client = authenticate_client(body)
            grant = require_string(body, "grantType")
            if grant not in GRANT_NAMES:
                raise ApiError("UnsupportedGrantTypeException", "unsupported grant type")
            if not allowed_grant(client, grant):
                raise ApiError("UnauthorizedClientException", "grant type not registered")
            if grant == DEVICE_GRANT:
                return grant_device(client, body)
            if grant == "authorization_code":
                return grant_code(client, body)
            return grant_refresh(client, body)
        except ApiError as e:
            errors = STATE.stats["token_errors"]
            errors[e.error_type] = errors.get(e.error_type, 0) + 1
            raise


# --- browser side --------------------------------------------------------------------------

def redirect_with(redirect_uri, params):
    parts = urlsplit(redirect_uri)
    query = parts.query + ("&" if parts.query else "") + urlencode(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def authorize(query):
    """Returns (status, headers, text)."""
    def one(name):
        values = query.get(name)
        return values[0] if values and len(values) == 1 else None

    with STATE.lock:
        STATE.stats["authorize_calls"] += 1
        client = STATE.clients.get(one("client_id") or "")
        if client is None:
            return 400, [], "unknown client_id\n"
        redirect_uri = one("redirect_uri")
        if redirect_uri is None or not is_loopback_redirect(redirect_uri):
            return 400, [], "redirect_uri must be a loopback http URL\n"
        if client["redirectUris"] and not any(same_ignoring_port(redirect_uri, r)
                                              for r in client["redirectUris"]):
            return 400, [], "redirect_uri was not registered\n"
        state = one("state")
        settings = STATE.settings
        reply_state = state
        if settings["bad_state"]:
            settings["bad_state"] = False
            reply_state = (state or "") + "-wrong"
        problem = None
        if one("response_type") != "code":
            problem = "response_type must be code"
        elif one("code_challenge_method") != "S256":
            problem = "code_challenge_method must be S256"
        elif not one("code_challenge"):
            problem = "code_challenge missing"
        elif not state:
            problem = "state missing"
        if problem is not None:
            params = {"error": "invalid_request", "error_description": problem}
        elif settings["deny_next_authorization"]:
            settings["deny_next_authorization"] = False
            STATE.stats["denials"] += 1
            params = {"error": "access_denied", "error_description": "the user denied access"}
        else:
            code = new_token("fakecode-")
            STATE.auth_codes[code] = {"client_id": client["clientId"],
                                      "redirect_uri": redirect_uri,
                                      "challenge": one("code_challenge"),
                                      "expires_at": STATE.now() + AUTH_CODE_LIFETIME,
                                      "used": False}
            STATE.stats["approvals"] += 1
            params = {"code": code}
        if reply_state is not None:
            params["state"] = reply_state
        location = redirect_with(redirect_uri, params)
        return 302, [("Location", location)], "redirecting\n"


def device_page(query):
    user_code = (query.get("user_code") or [""])[0]
    deny = (query.get("action") or [""])[0] == "deny"
    with STATE.lock:
        device_code = STATE.user_codes.get(user_code)
        if device_code is None:
            return 404, "unknown user code\n"
        device = STATE.devices[device_code]
        if STATE.now() >= device["expires_at"]:
            return 400, "this code has expired\n"
        if deny:
            device["denied"] = True
            STATE.stats["denials"] += 1
            return 200, "denied\n"
        return 200, decide(device) + "\n"


# --- portal --------------------------------------------------------------------------------

def role_credentials(query, headers):
    def one(name):
        values = query.get(name)
        return values[0] if values and len(values) == 1 and values[0] else None

    with STATE.lock:
        STATE.stats["role_credentials_calls"] += 1
        account_id, role_name = one("account_id"), one("role_name")
        STATE.stats["last_role_request"] = {"account_id": account_id, "role_name": role_name}
        token = headers.get("x-amz-sso_bearer_token")
        record = STATE.access_tokens.get(token) if token else None
        if record is None or STATE.now() >= record["expires_at"]:
            raise ApiError("UnauthorizedException", "Session token not found or invalid")
        if account_id is None or role_name is None:
            raise ApiError("InvalidRequestException", "account_id and role_name are required")
        roles = STATE.settings["roles"]
        if roles is not None and [account_id, role_name] not in roles:
            raise ApiError("ForbiddenException", "No access")
        expiration = int((STATE.now() + STATE.settings["role_lifetime"]) * 1000)
    key_id = "ASIA" + "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
                              for _ in range(16))
    return {"roleCredentials": {"accessKeyId": key_id,
                                "secretAccessKey": secrets.token_urlsafe(30)[:40],
                                "sessionToken": "FwoGZXIvYXdzE" + secrets.token_urlsafe(96),
                                "expiration": expiration}}


# --- control -------------------------------------------------------------------------------

def control(body):
    if not isinstance(body, dict):
        raise ValueError("control body must be a JSON object")
    with STATE.lock:
        if body.get("reset"):
            STATE.reset()
        if "advance" in body:
            STATE.offset += float(body["advance"])
        settings = STATE.settings
        for name in ("interval", "token_lifetime", "device_expires_in",
                     "client_secret_lifetime", "role_lifetime", "slow_down"):
            if name in body:
                settings[name] = int(body[name])
        for name in ("enforce_interval", "auto_approve", "deny_next_authorization",
                     "bad_state", "id_token"):
            if name in body:
                settings[name] = bool(body[name])
        if "refresh_tokens" in body:
            if body["refresh_tokens"] not in ("auto", "always", "never"):
                raise ValueError("refresh_tokens must be auto, always or never")
            settings["refresh_tokens"] = body["refresh_tokens"]
        if "error_style" in body:
            if body["error_style"] not in ("both", "header", "body", "type"):
                raise ValueError("error_style must be both, header, body or type")
            settings["error_style"] = body["error_style"]
        if "roles" in body:
            roles = body["roles"]
            settings["roles"] = None if roles is None else [list(r) for r in roles]
        if body.get("expire_access_tokens"):
            for record in STATE.access_tokens.values():
                record["expires_at"] = min(record["expires_at"], STATE.now() - 1)
        if body.get("stale_refresh_tokens"):
            for record in STATE.refresh_tokens.values():
                record["valid"] = False
        for item in body.get("inject", []):
            if not isinstance(item, dict) or not isinstance(item.get("path"), str):
                raise ValueError("inject items need a path")
            STATE.injections.append(item)
    return {"ok": True}


def stats():
    with STATE.lock:
        return json.loads(json.dumps(STATE.stats))


# --- HTTP ----------------------------------------------------------------------------------

def error_reply(error_type, description, portal):
    """(status, headers, body bytes) for an API error in the configured style."""
    with STATE.lock:
        style = STATE.settings["error_style"]
    status = STATUS_FOR.get(error_type, 400)
    headers = []
    if style in ("both", "header"):
        headers.append(("x-amzn-ErrorType", error_type))
    if style == "type":
        body = {"__type": error_type, "message": description}
    elif portal or style == "header":
        body = {"message": description}
    else:
        body = {"error": OAUTH_CODES.get(error_type, "invalid_request"),
                "error_description": description}
    return status, headers, json.dumps(body).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "sso-fake"
    sys_version = ""

    def version_string(self):
        return "sso-fake"

    def log_message(self, format, *args):  # noqa: A002  (the base class's name)
        pass

    def reply(self, status, body=b"", headers=(), content_type="application/json"):
        self.send_response(status, REASONS.get(status, "Status"))
        names = set()
        for name, value in headers:
            self.send_header(name, value)
            names.add(name.lower())
        if "content-type" not in names:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def take_injection(self, path):
        with STATE.lock:
            for i, item in enumerate(STATE.injections):
                if item["path"] == path:
                    return STATE.injections.pop(i)
        return None

    def reply_injection(self, item, portal):
        if "error_type" in item or "error" in item:
            error_type = item.get("error_type", "InvalidRequestException")
            status, headers, body = error_reply(error_type,
                                                item.get("error_description", "injected"),
                                                portal)
            if "error" in item:
                body = json.dumps({"error": item["error"],
                                   "error_description":
                                       item.get("error_description", "injected")}).encode()
                if "error_type" not in item:
                    headers = []
            self.reply(int(item.get("status", status)), body, headers)
            return
        headers = list((item.get("headers") or {}).items())
        self.reply(int(item.get("status", 200)), item.get("body", "").encode("utf-8"), headers)

    def read_json(self):
        length = int(self.headers.get("Content-Length") or "0")
        if length < 0 or length > MAX_BODY:
            raise ApiError("InvalidRequestException", "bad Content-Length")
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError:
            raise ApiError("InvalidRequestException", "body is not JSON")
        if not isinstance(body, dict):
            raise ApiError("InvalidRequestException", "body is not a JSON object")
        return body

    def dispatch(self, method):
        parts = urlsplit(self.path)
        path = parts.path
        query = parse_qs(parts.query, keep_blank_values=True)
        headers = {k.lower(): v for k, v in self.headers.items()}
        portal = path == "/federation/credentials"
        try:
            if path == "/_control" and method == "POST":
                length = int(self.headers.get("Content-Length") or "0")
                try:
                    result = control(json.loads(self.rfile.read(length).decode("utf-8")))
                except (ValueError, TypeError) as e:
                    self.reply(400, json.dumps({"error": str(e)}).encode())
                    return
                self.reply(200, json.dumps(result).encode())
                return
            if path == "/_stats" and method == "GET":
                self.reply(200, json.dumps(stats()).encode())
                return
            item = self.take_injection(path)
            if item is not None:
                if method == "POST":
                    self.read_json_quietly()
                self.reply_injection(item, portal)
                return
            routes = {("POST", "/client/register"): register_client,
                      ("POST", "/device_authorization"): start_device_authorization,
                      ("POST", "/token"): create_token}
            if (method, path) in routes:
                result = routes[(method, path)](self.read_json())
                self.reply(200, json.dumps(result).encode())
            elif method == "GET" and path == "/authorize":
                status, extra, text = authorize(query)
                self.reply(status, text.encode(), extra, "text/plain")
            elif method == "GET" and path == "/device":
                status, text = device_page(query)
                self.reply(status, text.encode(), (), "text/plain")
            elif method == "GET" and portal:
                self.reply(200, json.dumps(role_credentials(query, headers)).encode())
            else:
                self.reply(404, b'{"message":"no such route"}')
        except ApiError as e:
            status, extra, body = error_reply(e.error_type, e.description, portal)
            self.reply(status, body, extra)

    def read_json_quietly(self):
        try:
            self.read_json()
        except ApiError:
            pass

    def do_GET(self):  # noqa: N802  (BaseHTTPRequestHandler's naming)
        self.dispatch("GET")

    def do_POST(self):  # noqa: N802
        self.dispatch("POST")


def exit_on_stdin_eof():
    try:
        sys.stdin.buffer.read()
    finally:
        os._exit(0)


def main():
    global STATE
    parser = argparse.ArgumentParser(description="loopback fake of IAM Identity Center")
    parser.add_argument("--interval", type=int, default=1)
    parser.add_argument("--token-lifetime", type=int, default=28800)
    parser.add_argument("--device-expires-in", type=int, default=600)
    parser.add_argument("--auto-approve", action="store_true")
    parser.add_argument("--forever", action="store_true")
    args = parser.parse_args()
    STATE = State(args)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    STATE.port = server.server_address[1]
    if not args.forever:
        threading.Thread(target=exit_on_stdin_eof, daemon=True).start()
    print("PORT %d" % STATE.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
