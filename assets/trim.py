#!/usr/bin/env python3
"""Trim the dotaconstants npm package's build/*.json into the compact files in assets/.

Usage: python3 assets/trim.py PATH/TO/package/build  (writes next to this script)

Only names are kept: the app needs id -> display name, nothing else, and the
full files are several megabytes.
"""
import json
import pathlib
import sys

# Words that read better in capitals than in title case ("Ranked Solo MM").
UPPER_WORDS = {"mm": "MM", "ai": "AI"}


def readable(key: str, prefix: str) -> str:
    """`game_mode_all_pick` -> `All Pick`; `lobby_type_ranked_solo_mm` -> `Ranked Solo MM`."""
    words = key.removeprefix(prefix).split("_")
    return " ".join(UPPER_WORDS.get(w, w[:1].upper() + w[1:]) for w in words if w)


def id_sorted(mapping: dict) -> dict:
    return {str(k): mapping[k] for k in sorted(mapping)}


def write(out_dir: pathlib.Path, name: str, value) -> None:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    (out_dir / name).write_text(text + "\n", encoding="utf-8")


def main() -> None:
    build = pathlib.Path(sys.argv[1])
    out_dir = pathlib.Path(__file__).resolve().parent

    heroes = json.loads((build / "heroes.json").read_text(encoding="utf-8"))
    write(out_dir, "heroes.json", id_sorted({int(h["id"]): h["localized_name"] for h in heroes.values()}))

    items = json.loads((build / "items.json").read_text(encoding="utf-8"))
    named = {int(v["id"]): v["dname"] for v in items.values() if v.get("dname")}
    write(out_dir, "items.json", id_sorted(named))
    # Items a player can buy in a shop: they have a price, a name, and are not recipes.
    # Neutral items and enhancements cost 0, so they drop out here too.
    purchasable = sorted(
        int(v["id"])
        for key, v in items.items()
        if v.get("dname") and (v.get("cost") or 0) > 0 and not key.startswith("recipe")
    )
    write(out_dir, "purchasable_items.json", purchasable)

    modes = json.loads((build / "game_mode.json").read_text(encoding="utf-8"))
    write(out_dir, "game_modes.json", id_sorted({int(m["id"]): readable(m["name"], "game_mode_") for m in modes.values()}))

    lobbies = json.loads((build / "lobby_type.json").read_text(encoding="utf-8"))
    write(out_dir, "lobby_types.json", id_sorted({int(l["id"]): readable(l["name"], "lobby_type_") for l in lobbies.values()}))


if __name__ == "__main__":
    main()
