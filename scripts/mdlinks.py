#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make lint: every relative link of the tree's markdown pages resolves: the
file or directory exists, and an #anchor names a heading of the page.

usage: mdlinks.py [TOP]"""
import os
import re
import subprocess
import sys

top = sys.argv[1] if len(sys.argv) > 1 else '.'
os.chdir(top)
files = subprocess.run(['git', 'ls-files', '-co', '--exclude-standard', '*.md'],
                       capture_output=True, text=True, check=True).stdout.split()
link = re.compile(r'\[[^\]]*\]\(([^)\s]+)\)')


def anchors(path):
    out = set()
    in_code = False
    for line in open(path):
        if line.startswith('```'):
            in_code = not in_code
        if in_code or not line.startswith('#'):
            continue
        text = line.lstrip('#').strip().lower()
        text = re.sub(r'[^\w\- ]', '', text)
        out.add(text.replace(' ', '-'))
    return out


bad = 0
count = 0
for f in files:
    in_code = False
    for n, line in enumerate(open(f), 1):
        if line.startswith('```'):
            in_code = not in_code
        if in_code:
            continue
        for target in link.findall(line):
            if re.match(r'[a-z]+:', target):
                continue
            count += 1
            path, _, anchor = target.partition('#')
            dest = os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
            if not os.path.exists(dest):
                print(f'{f}:{n}: {target}: no {dest}')
                bad += 1
            elif anchor and anchor not in anchors(dest):
                print(f'{f}:{n}: {target}: no heading #{anchor} in {dest}')
                bad += 1
print(f'mdlinks: {count} links in {len(files)} pages, {bad} broken')
sys.exit(1 if bad else 0)
