#!/usr/bin/env python3
"""A second, independent client of the portal's OAuth 2.0 and OpenID Connect endpoints, written
with Python's Authlib: a partner-API system with a client secret, and a relying party of
「CCUSでログイン」. Every protocol step — client authentication, the authorization URL with
PKCE (S256) and a nonce, the state check, the code exchange, the ID token's signature and
claims, the refresh — is Authlib's; this script only chains them and reports.

    partner       a client-credentials token, then GET /api/v1/grants with it
    login-start   discovery, then an authorization URL for a person's browser; what the
                  second step needs is kept in --state-file
    login-finish  the URL the browser came back to: the code exchanged, the ID token checked
                  against the published keys (iss, aud, nonce, exp, at_hash), userinfo read,
                  the tokens refreshed once (and the new ID token checked too)

Each command prints one JSON document on stdout and exits 0, or says what failed on stderr and
exits 1. Tokens and secrets are never printed. The settings come from options or from the
environment: CCUS_BASE_URL, CCUS_CLIENT_ID, CCUS_CLIENT_SECRET (prefer the environment for the
secret: a command line is visible to other users of the machine).

Authlib refuses plain http:// except to localhost; for a test portal elsewhere, set Authlib's
own switch AUTHLIB_INSECURE_TRANSPORT=1. See README.md beside this file.
"""
import argparse
import json
import os
import sys
import time

try:
    from authlib.common.security import generate_token
    from authlib.integrations.requests_client import OAuth2Session
    from authlib.jose import JsonWebKey, JsonWebToken
    from authlib.oidc.core import CodeIDToken
    from authlib.oidc.discovery import OpenIDProviderMetadata, get_well_known_url
except ImportError as e:  # pragma: no cover - reported to the caller
    print(f"error: Authlib is not installed for {sys.executable}: {e}", file=sys.stderr)
    sys.exit(1)

# Seconds of clock difference tolerated between this machine and the portal.
LEEWAY = 60
TIMEOUT = 30
# The ID token's algorithms this client accepts: the portal's, and never "none" or HMAC.
ID_TOKEN_ALGORITHMS = ["RS256"]


class Failure(Exception):
    """A step did not give what the protocol requires."""


def setting(value, env, what):
    value = value or os.environ.get(env, "")
    if not value:
        raise Failure(f"{what} is missing: give it as an option or set {env}")
    return value


def discover(base_url):
    """OpenID Connect Discovery 1.0 §4: the metadata, checked by Authlib, and its issuer
    identical to the address it was read from (§4.3)."""
    issuer = base_url.rstrip("/")
    url = get_well_known_url(issuer, external=True)
    with OAuth2Session() as http:
        r = http.get(url, withhold_token=True, timeout=TIMEOUT)
    if r.status_code != 200:
        raise Failure(f"discovery at {url} answered {r.status_code}")
    metadata = OpenIDProviderMetadata(r.json())
    metadata.validate()
    if metadata["issuer"] != issuer:
        raise Failure(f"discovery names the issuer {metadata['issuer']!r}, read from {issuer!r}")
    return dict(metadata)


def partner(args):
    """The partner API as a system with a client secret: client credentials, then a call."""
    metadata = discover(args.base_url)
    session = OAuth2Session(
        client_id=args.client_id,
        client_secret=args.client_secret,
        token_endpoint_auth_method=args.auth_method,
        scope=args.scope or None,
        default_timeout=TIMEOUT,
    )
    with session:
        token = session.fetch_token(metadata["token_endpoint"], grant_type="client_credentials")
        r = session.get(args.base_url.rstrip("/") + "/api/v1/grants")
    if r.status_code != 200:
        raise Failure(f"GET /api/v1/grants answered {r.status_code}: {r.text[:200]}")
    return {
        "token": {
            "token_type": token.get("token_type"),
            "scope": token.get("scope"),
            "expires_in": token.get("expires_in"),
        },
        "grants": r.json(),
    }


def login_start(args):
    """An authorization request (OpenID Connect Core §3.1.2.1) with PKCE and a nonce."""
    metadata = discover(args.base_url)
    if "S256" not in metadata.get("code_challenge_methods_supported", []):
        raise Failure("the provider does not announce PKCE with S256")
    code_verifier = generate_token(64)
    nonce = generate_token(32)
    session = OAuth2Session(
        client_id=args.client_id,
        scope=args.scope,
        redirect_uri=args.redirect_uri,
        code_challenge_method="S256",
    )
    with session:
        url, state = session.create_authorization_url(
            metadata["authorization_endpoint"], code_verifier=code_verifier, nonce=nonce
        )
    kept = {
        "base_url": args.base_url,
        "client_id": args.client_id,
        "redirect_uri": args.redirect_uri,
        "scope": args.scope,
        "state": state,
        "nonce": nonce,
        "code_verifier": code_verifier,
        "metadata": metadata,
    }
    # The verifier and nonce are secrets of this login: readable by this user only.
    fd = os.open(args.state_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(kept, f)
    return {"authorization_url": url, "state": state}


def id_token_claims(id_token, jwks, metadata, client_id, access_token, nonce=None):
    """The ID token checked by Authlib (OpenID Connect Core §3.1.3.7): the signature by a key of
    the published set, iss, aud, exp, iat, at_hash, and the nonce when one was sent."""
    keys = JsonWebKey.import_key_set(jwks)
    params = {"client_id": client_id, "access_token": access_token}
    if nonce is not None:
        params["nonce"] = nonce
    claims = JsonWebToken(ID_TOKEN_ALGORITHMS).decode(
        id_token,
        keys,
        claims_cls=CodeIDToken,
        claims_options={
            "iss": {"essential": True, "value": metadata["issuer"]},
            "aud": {"essential": True, "value": client_id},
            "exp": {"essential": True},
            "nonce": {"essential": nonce is not None},
        },
        claims_params=params,
    )
    claims.validate(now=int(time.time()), leeway=LEEWAY)
    return claims


def login_finish(args):
    """The code exchanged, the ID token checked, userinfo read, the tokens refreshed once."""
    with open(args.state_file) as f:
        kept = json.load(f)
    metadata = kept["metadata"]
    client_id = kept["client_id"]
    session = OAuth2Session(
        client_id=client_id,
        client_secret=args.client_secret,
        token_endpoint_auth_method=args.auth_method,
        scope=kept["scope"],
        redirect_uri=kept["redirect_uri"],
        state=kept["state"],
        code_challenge_method="S256",
        default_timeout=TIMEOUT,
    )
    with session:
        # Authlib reads the code from the address and refuses a state that is not ours.
        token = session.fetch_token(
            metadata["token_endpoint"],
            authorization_response=args.callback,
            code_verifier=kept["code_verifier"],
        )
        if "id_token" not in token:
            raise Failure("the token response has no id_token")
        jwks_response = session.get(metadata["jwks_uri"], withhold_token=True)
        if jwks_response.status_code != 200:
            raise Failure(f"the key set answered {jwks_response.status_code}")
        jwks = jwks_response.json()
        claims = id_token_claims(
            token["id_token"], jwks, metadata, client_id, token["access_token"], kept["nonce"]
        )

        userinfo = session.get(metadata["userinfo_endpoint"])
        if userinfo.status_code != 200:
            raise Failure(f"userinfo answered {userinfo.status_code}")
        info = userinfo.json()
        # OpenID Connect Core §5.3.2: the userinfo sub must be the ID token's.
        if info.get("sub") != claims["sub"]:
            raise Failure("userinfo names another subject than the ID token")

        first_refresh = token.get("refresh_token")
        if not first_refresh:
            raise Failure("the token response has no refresh_token")
        refreshed = session.refresh_token(metadata["token_endpoint"])
        refreshed_claims = None
        if "id_token" in refreshed:
            refreshed_claims = id_token_claims(
                refreshed["id_token"], jwks, metadata, client_id, refreshed["access_token"]
            )
            # OpenID Connect Core §12.2: the same person, for the same client, same login.
            for name in ("iss", "sub", "aud", "auth_time"):
                if refreshed_claims.get(name) != claims.get(name):
                    raise Failure(f"the refreshed ID token changed {name}")
        # The session now holds the refreshed access token.
        after = session.get(metadata["userinfo_endpoint"])
        if after.status_code != 200:
            raise Failure(f"userinfo with the refreshed token answered {after.status_code}")

    return {
        "issuer": metadata["issuer"],
        "token": {
            "token_type": token.get("token_type"),
            "scope": token.get("scope"),
            "expires_in": token.get("expires_in"),
        },
        "id_token": {"header": dict(claims.header), "claims": dict(claims)},
        "userinfo": info,
        "refresh": {
            "rotated": refreshed.get("refresh_token") not in (None, first_refresh),
            "id_token_claims": dict(refreshed_claims) if refreshed_claims else None,
            "userinfo_sub": after.json().get("sub"),
        },
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--client-secret", help="default: $CCUS_CLIENT_SECRET")
    common.add_argument(
        "--auth-method",
        default="client_secret_basic",
        choices=["client_secret_basic", "client_secret_post"],
        help="how the client proves itself at the token endpoint",
    )
    endpoint = argparse.ArgumentParser(add_help=False)
    endpoint.add_argument("--base-url", help="the portal's public address; default: $CCUS_BASE_URL")
    endpoint.add_argument("--client-id", help="default: $CCUS_CLIENT_ID")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("partner", parents=[common, endpoint], help=partner.__doc__)
    p.add_argument("--scope", default="", help="scopes to ask for; default: all registered")

    s = commands.add_parser("login-start", parents=[endpoint], help=login_start.__doc__)
    s.add_argument("--redirect-uri", required=True, help="an address the service registered")
    s.add_argument("--scope", default="openid profile", help="default: %(default)s")
    s.add_argument("--state-file", required=True, help="where to keep the login's secrets")

    f = commands.add_parser("login-finish", parents=[common], help=login_finish.__doc__)
    f.add_argument("--state-file", required=True, help="the file login-start wrote")
    f.add_argument("--callback", required=True, help="the address the browser came back to")

    args = parser.parse_args(argv)
    try:
        if args.command != "login-finish":
            args.base_url = setting(args.base_url, "CCUS_BASE_URL", "the portal's address")
            args.client_id = setting(args.client_id, "CCUS_CLIENT_ID", "the client_id")
        if args.command != "login-start":
            args.client_secret = setting(args.client_secret, "CCUS_CLIENT_SECRET", "the secret")
        run = {"partner": partner, "login-start": login_start, "login-finish": login_finish}
        summary = run[args.command](args)
    except Exception as e:  # every failure, Authlib's or ours, ends the run the same way
        print(f"error: {args.command}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    json.dump(summary, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
