#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Generate the names tables of libpmesh from the YNL spec.

tools/lib/pmnl_names.[ch] name every attribute, statistic, enum entry and
command of the "pmesh" family as the spec spells them, indexed by the uapi
constants (so the compiler checks the two agree). Names are the spec's, with
'-'; JSON keys are the same with '_' (pmnl_json_key()).

usage: pmnl-names.py [--check]
"""
import os
import sys

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC = "Documentation/netlink/specs/pmesh.yaml"
OUT_H = "tools/lib/pmnl_names.h"
OUT_C = "tools/lib/pmnl_names.c"


def cname(*parts):
    return "_".join(p.upper().replace("-", "_") for p in parts)


def ident(name):
    return name.replace("-", "_")


def tables(spec):
    """(C name, size expression, [(index expression, name)], doc) each."""
    fam = spec["name"]
    out = []
    for d in spec.get("definitions", []):
        if d.get("type") != "enum":
            continue
        entries, val = [], d.get("value-start", 0)
        for e in d["entries"]:
            if isinstance(e, dict):
                val = e.get("value", val)
                e = e["name"]
            entries.append((cname(fam, d["name"], e), e))
            val += 1
        out.append(("pmnl_%s_names" % ident(d["name"]),
                    entries[-1][0] + " + 1", entries,
                    "enum pmesh_%s" % ident(d["name"])))
    for s in spec["attribute-sets"]:
        pre = cname(fam, "a", s["name"])
        entries = [(cname(fam, "a", s["name"], a["name"]), a["name"])
                   for a in s["attributes"] if a["name"] != "pad"]
        table = ("pmnl_%s_names" % ident(s["name"]) if s["name"].endswith("stats")
                 else "pmnl_%s_attr_names" % ident(s["name"]))
        out.append((table, pre + "_MAX + 1", entries,
                    "the %s attributes" % s["name"]))
    ops = [(cname(fam, "cmd", o["name"]), o["name"])
           for o in spec["operations"]["list"]]
    out.append(("pmnl_cmd_names", cname(fam, "cmd_max") + " + 1", ops,
                "the commands and notifications"))
    ntf = [(c, n[:-len("-ntf")]) for c, n in ops if n.endswith("-ntf")]
    out.append(("pmnl_event_names", cname(fam, "cmd_max") + " + 1", ntf,
                "the notifications of the events group, without \"-ntf\""))
    return out


HEAD = """\
/* SPDX-License-Identifier: GPL-2.0 */
/* Do not edit: generated from %s by scripts/pmnl-names.py */
""" % SPEC


def gen(spec):
    t = tables(spec)
    h = [HEAD, "#ifndef PMNL_NAMES_H", "#define PMNL_NAMES_H", "",
         "#include <linux/pmesh_netlink.h>", ""]
    c = [HEAD, "#include \"pmnl_names.h\"", ""]
    for name, size, entries, doc in t:
        h.append("/* The names of %s. */" % doc)
        h.append("extern const char *const %s[%s];" % (name, size))
        c.append("const char *const %s[%s] = {" % (name, size))
        c += ["\t[%s] = \"%s\"," % e for e in entries]
        c.append("};")
        c.append("")
    h += ["", "#endif"]
    return "\n".join(h) + "\n", "\n".join(c)


def main():
    check = sys.argv[1:] == ["--check"]
    with open(os.path.join(TOP, SPEC)) as f:
        spec = yaml.safe_load(f)
    status = 0
    for path, text in zip((OUT_H, OUT_C), gen(spec)):
        full = os.path.join(TOP, path)
        if check:
            try:
                with open(full) as f:
                    current = f.read()
            except OSError:
                current = None
            if current != text:
                print("names: %s is not current; run make -C tools/lib names"
                      % path, file=sys.stderr)
                status = 1
        else:
            with open(full, "w") as f:
                f.write(text)
    return status


if __name__ == "__main__":
    sys.exit(main())
