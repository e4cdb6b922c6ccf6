"""`skipup-campaigns sandbox`: build the store and settings from flags, print how to reach it,
serve until interrupted."""

from __future__ import annotations

import argparse
import sys

from skipup_campaigns.sandbox import open_store
from skipup_campaigns.sandbox.app import SandboxSettings, create_app, parse_key_spec
from skipup_campaigns.sandbox.exposure import keys_to_serve
from skipup_campaigns.sandbox.seed import DEFAULT_RANDOM_SEED
from skipup_campaigns.sandbox.server import base_url, bind, serve_forever


def run_sandbox(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    settings = SandboxSettings(
        rate_limit=args.rate_limit,
        latency_ms=args.latency_ms,
        fail_rate=args.fail_rate,
        random_seed=args.random_seed,
    )
    own_keys = {}
    for spec in args.api_key:
        try:
            key = parse_key_spec(spec)
        except ValueError as exc:
            parser.error(f"--api-key: {exc}")
        own_keys[key.key] = key
    serving = keys_to_serve(
        args.host, own_keys, allow_test_credentials=getattr(args, "allow_test_credentials", False)
    )
    if serving.warning:
        print(f"skipup-campaigns sandbox: warning: {serving.warning}", file=sys.stderr)
    if serving.refusal:
        print(f"skipup-campaigns sandbox: {serving.refusal}", file=sys.stderr)
        return 2
    settings.keys = serving.keys
    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        print(
            f"skipup-campaigns sandbox: cannot listen on {args.host}:{args.port}: "
            f"{exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
    seed = args.random_seed if args.random_seed is not None else DEFAULT_RANDOM_SEED
    try:
        store = open_store(args.db, seed=args.seed, seed_count=args.seed_count, random_seed=seed)
    except Exception as exc:  # an unreadable or foreign file: say so in one line
        print(f"skipup-campaigns sandbox: cannot open database {args.db}: {exc}", file=sys.stderr)
        return 1
    url = base_url(sock)
    print(f"SkipUp sandbox listening on {url}")
    print("API keys:")
    for key in settings.keys.values():
        print(f"  {key.key:<20} {', '.join(sorted(key.scopes))}  (workspace {key.workspace_id})")
    print(
        f"Database: {args.db}   rate limit: {rate_limit_text(args.rate_limit)}   "
        f"latency: {args.latency_ms} ms   fail rate: {args.fail_rate}"
    )
    if args.forwarded_allow_ips:
        print(f"X-Forwarded-For is believed from: {args.forwarded_allow_ips}")
    if "sk_test_admin" in settings.keys:
        print(f"Try: curl -H 'Authorization: Bearer sk_test_admin' '{url}/campaigns?limit=2'")
    print("Ctrl-C stops it.", flush=True)
    stop_activity = None
    if args.activity:
        from skipup_campaigns.sandbox.activity import activity_rng, start_activity

        print(
            f"Simulated activity: about {args.activity} meeting requests a minute on running "
            "campaigns.",
            flush=True,
        )
        stop_activity = start_activity(store, args.activity, activity_rng(args.random_seed))
    try:
        serve_forever(
            create_app(store, settings), sock, forwarded_allow_ips=args.forwarded_allow_ips
        )
    except KeyboardInterrupt:
        pass
    finally:
        if stop_activity is not None:
            stop_activity()
        store.close()
    return 0


def rate_limit_text(per_minute: int) -> str:
    """The banner's rate limit: "30/min", or "off" for 0 (no limit)."""
    return f"{per_minute}/min" if per_minute else "off"
