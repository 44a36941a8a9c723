#!/usr/bin/env python3
"""Writes docs/comparison.md: checkov's failed checks next to Palisade's findings, per ARM fixture.

Usage: compare_checkov.py RESULTS_DIR FIXTURES_DIR OUTPUT_MD

RESULTS_DIR holds `<fixture~template>.checkov.json` and `<fixture~template>.palisade.json` written by
scripts/compare-checkov.sh. Every checkov check ID is classified below: which Palisade rule covers it, or why it
is a false positive or out of scope. A "covered" claim is verified against Palisade's actual findings (same rule
on a resource of the same type); when Palisade did not report it, the row says GAP.
"""

import json
import os
import sys
from collections import Counter

# Resource types the Palisade model holds (Sources/PalisadeModel/Identity/ResourceType.swift).
MODELLED = {t.lower() for t in [
    "Microsoft.Network/virtualNetworks", "Microsoft.Network/virtualNetworks/subnets",
    "Microsoft.Network/networkSecurityGroups", "Microsoft.Network/networkSecurityGroups/securityRules",
    "Microsoft.Network/applicationSecurityGroups", "Microsoft.Network/routeTables", "Microsoft.Network/publicIPAddresses",
    "Microsoft.Network/networkInterfaces", "Microsoft.Compute/virtualMachines", "Microsoft.Network/bastionHosts",
    "Microsoft.Network/virtualNetworkGateways", "Microsoft.Network/azureFirewalls", "Microsoft.Network/firewallPolicies",
    "Microsoft.Network/ipGroups", "Microsoft.Network/privateEndpoints", "Microsoft.Network/privateDnsZones",
    "Microsoft.Network/serviceEndpointPolicies", "Microsoft.Network/natGateways",
    "Microsoft.MachineLearningServices/workspaces", "Microsoft.MachineLearningServices/workspaces/computes",
    "Microsoft.Storage/storageAccounts", "Microsoft.KeyVault/vaults", "Microsoft.KeyVault/vaults/secrets",
    "Microsoft.ContainerRegistry/registries", "Microsoft.Insights/components", "Microsoft.OperationalInsights/workspaces",
    "Microsoft.Insights/privateLinkScopes", "Microsoft.ManagedIdentity/userAssignedIdentities",
    "Microsoft.Authorization/roleAssignments", "Microsoft.CognitiveServices/accounts",
]}

COVERED, FALSE_POSITIVE, OUT_OF_SCOPE = "covered", "false positive", "out of scope"

# checkov ARM check → (verdict, Palisade rule or None, explanation).
CHECKS = {
    "CKV_AZURE_189": (COVERED, "service_public_network_access", "key vault public network access not disabled"),
    "CKV_AZURE_109": (COVERED, "service_public_network_access", "key vault firewall open"),
    "CKV_AZURE_110": (COVERED, "key_vault_purge_protection", ""),
    "CKV_AZURE_42": (COVERED, "key_vault_purge_protection", "recoverability = soft delete + purge protection"),
    "CKV_AZURE_35": (COVERED, "service_public_network_access", "storage firewall default action Allow"),
    "CKV_AZURE_59": (COVERED, "service_public_network_access", ""),
    "CKV_AZURE_3": (COVERED, "storage_insecure_transport", ""),
    "CKV_AZURE_190": (COVERED, "storage_blob_public_access", ""),
    "CKV_AZURE_206": (COVERED, "storage_replication", "LRS; Palisade reports it as a note"),
    "CKV_AZURE_137": (COVERED, "registry_admin_user", ""),
    "CKV_AZURE_139": (COVERED, "service_public_network_access", ""),
    "CKV2_AZURE_49": (COVERED, "service_public_network_access", ""),
    "CKV_AZURE_9": (COVERED, "nsg_internet_management_ports", "RDP from the internet"),
    "CKV_AZURE_10": (COVERED, "nsg_internet_management_ports", "SSH from the internet"),
    "CKV_AZURE_216": (COVERED, "firewall_threat_intel_mode", "threatIntelMode unset = Alert"),
    "CKV_AZURE_43": (FALSE_POSITIVE, None,
                     "checkov tests the unevaluated name expression (e.g. `[variables('storageNameCleaned')]`); the "
                     "evaluated name Palisade imports is a valid storage account name"),
    "CKV_AZURE_178": (FALSE_POSITIVE, None,
                      "the VM is Windows (no `linuxConfiguration`), so the Linux SSH-key check does not apply"),
    "CKV_AZURE_1": (FALSE_POSITIVE, None,
                    "both Linux VMs use sshPublicKey (`disablePasswordAuthentication: true`), selected through `if()`, "
                    "which checkov does not evaluate; Palisade does not model disablePasswordAuthentication yet"),
    "CKV_AZURE_166": (OUT_OF_SCOPE, None, "image quarantine is a supply-chain setting the model does not hold"),
    "CKV_AZURE_163": (OUT_OF_SCOPE, None, "image vulnerability scanning is not a network setting"),
    "CKV_AZURE_138": (OUT_OF_SCOPE, None, "anonymous pull is not modelled (default off)"),
    "CKV_AZURE_233": (OUT_OF_SCOPE, None, "zone redundancy is resilience, not isolation, and not modelled"),
    "CKV_AZURE_151": (OUT_OF_SCOPE, None, "disk encryption is VM hardening, not modelled"),
    "CKV_AZURE_97": (OUT_OF_SCOPE, None, "encryption at host is VM hardening, not modelled"),
    "CKV_AZURE_50": (OUT_OF_SCOPE, None, "VM extensions are not modelled (the jumpbox's AAD login extension is intended)"),
    "CKV_AZURE_92": (OUT_OF_SCOPE, None, "managed disks are not modelled"),
    "CKV_AZURE_33": (OUT_OF_SCOPE, None, "queue service logging is diagnostics, not isolation"),
    "CKV_AZURE_182": (OUT_OF_SCOPE, None, "DNS server redundancy is not an isolation property"),
    "CKV_AZURE_183": (OUT_OF_SCOPE, None, "custom DNS choice is checked by the DNS proofs, not as a setting"),
    "CKV_AZURE_160": (OUT_OF_SCOPE, None, "Palisade flags management ports only; the engine's internet-exposure proof covers other ports"),
}


# Template-specific readings that override CHECKS: (path fragment, check) → (verdict, rule, explanation).
OVERRIDES = {
    ("azurefirewall-sandbox-linux", "CKV_AZURE_178"): (
        FALSE_POSITIVE, None, "the Linux VM uses sshPublicKey (`disablePasswordAuthentication: true`) through "
        "`if(equals(parameters('authenticationType'), 'password'), …)`, which checkov does not evaluate"),
    ("azurefirewall-sandbox-linux", "CKV_AZURE_151"): (
        OUT_OF_SCOPE, None, "a Windows encryption check on a Linux VM; disk encryption is not modelled either way"),
}


def check_verdict(check_id, resource_type, checkov_resource, palisade, template=""):
    """(verdict, Palisade rule shown, explanation) for one checkov failure, checked against Palisade's findings."""
    for (fragment, check), verdict in OVERRIDES.items():
        if check == check_id and fragment in template:
            return verdict
    by_type = [f for f in palisade if f["resourceType"].lower() == resource_type.lower()]
    rules_on_type = {f["ruleID"] for f in by_type}
    if check_id == "CKV_AZURE_243":
        if "service_without_private_endpoint" in rules_on_type:
            return COVERED, "service_without_private_endpoint", ""
        return (FALSE_POSITIVE, None, "the workspace has a `Microsoft.Network/privateEndpoints` resource; checkov passes "
                "only a managed-network PrivateEndpoint outbound rule")
    if check_id == "CKV_AZURE_36":
        if "workspace_trusted_services" in rules_on_type:
            return COVERED, "workspace_trusted_services", ""
        return (FALSE_POSITIVE, None, "`networkAcls` is absent, so bypass is Azure's default AzureServices and the firewall "
                "allows all; Palisade checks the bypass where it matters (workspace storage, workspace_trusted_services)")
    if check_id == "CKV_AZURE_44":
        if "storage_insecure_transport" in rules_on_type:
            return COVERED, "storage_insecure_transport", ""
        return (FALSE_POSITIVE, None, "minimumTlsVersion is unset; Azure Storage no longer accepts TLS 1.0/1.1, and "
                "Palisade flags explicit TLS1_0/TLS1_1 (storage_insecure_transport)")
    if check_id in CHECKS:
        verdict, rule, note = CHECKS[check_id]
        if verdict == COVERED and rule not in rules_on_type:
            return "GAP", rule, f"Palisade did not report {rule} on this resource type" + (f" ({note})" if note else "")
        return verdict, rule, note
    if resource_type.lower() not in MODELLED:
        return OUT_OF_SCOPE, None, f"`{resource_type}` is not a modelled resource type"
    return "unclassified", None, "not yet classified; review"


def load_json(path):
    try:
        with open(path) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def checkov_failures(data):
    """checkov's failed checks as (id, type, resource, title); checkov prints a list when several runners ran."""
    if data is None:
        return []
    reports = data if isinstance(data, list) else [data]
    failures = []
    for report in reports:
        for check in (report.get("results") or {}).get("failed_checks", []):
            resource = check.get("resource", "")
            slash = resource.find("/")
            dot = resource.find(".", slash) if slash >= 0 else -1
            rtype = resource[:dot] if dot > 0 else resource
            failures.append((check["check_id"], rtype, resource, check.get("check_name", "")))
    return sorted(failures)


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def subject_name(finding):
    return finding["subject"].rstrip("/").split("/")[-1]


def main():
    results, fixtures, output = sys.argv[1:4]
    version = open(os.path.join(results, "checkov.version")).read().strip() if os.path.exists(
        os.path.join(results, "checkov.version")) else "unknown"
    keys = sorted({name.rsplit(".", 2)[0] for name in os.listdir(results) if name.endswith(".palisade.json")})
    sections, summary = [], []
    totals = Counter()
    for key in keys:
        template = key.replace("~", "/")
        failures = checkov_failures(load_json(os.path.join(results, key + ".checkov.json")))
        report = load_json(os.path.join(results, key + ".palisade.json")) or {"findings": []}
        palisade = report.get("findings", [])
        rows, counts, matched_rules = [], Counter(), Counter()
        for check_id, rtype, resource, title in failures:
            verdict, rule, note = check_verdict(check_id, rtype, resource, palisade, template)
            counts[verdict] += 1
            if rule and verdict == COVERED:
                matched_rules[(rule, rtype.lower())] += 1
            palisade_cell = f"`{rule}`" if rule else "—"
            rows.append(f"| {check_id} | {cell(resource)} | {cell(title)} | {palisade_cell} | {verdict}"
                        f"{': ' + cell(note) if note else ''} |")
        finding_rows = []
        beyond = 0
        for f in sorted(palisade, key=lambda f: ({"error": 0, "warning": 1, "note": 2}[f["severity"]], f["ruleID"], subject_name(f))):
            seen = (f["ruleID"], f["resourceType"].lower()) in matched_rules
            beyond += 0 if seen else 1
            finding_rows.append(f"| {f['severity']} | `{f['ruleID']}` | {cell(subject_name(f))} | {cell(f['message'])} | "
                                f"{'also checkov' if seen else 'Palisade only'} |")
        totals.update(counts)
        totals["palisade"] += len(palisade)
        totals["beyond"] += beyond
        summary.append(f"| {template} | {len(failures)} | {counts[COVERED]} | {counts[FALSE_POSITIVE]} | "
                       f"{counts[OUT_OF_SCOPE]} | {counts['GAP'] + counts['unclassified']} | {len(palisade)} | {beyond} |")
        section = [f"## {template}", "", f"### checkov: {len(failures)} failed check(s)", ""]
        if rows:
            section += ["| check | resource (as checkov names it) | title | Palisade rule | verdict |",
                        "|---|---|---|---|---|"] + rows
        else:
            section.append("checkov reports no failed checks.")
        section += ["", f"### Palisade: {len(palisade)} finding(s)", ""]
        if finding_rows:
            section += ["| severity | rule | resource | message | checkov |", "|---|---|---|---|---|"] + finding_rows
        else:
            section.append("Palisade reports no findings.")
        sections.append("\n".join(section))

    lines = [
        "<!-- GENERATED FILE. DO NOT EDIT! Run `scripts/compare-checkov.sh VENV_DIR`. -->",
        "# Palisade and checkov on the ARM fixtures",
        "",
        f"Each template in `{fixtures}` with a parameter file was checked by checkov ({cell(version)}, "
        "`checkov -f <template> --framework arm -o json`) and by `palisade check <template> --parameters <file> "
        "--placeholders --format json`. checkov reads the template text without parameter files or "
        "expression evaluation; Palisade evaluates the deployment and checks the resulting graph.",
        "",
        "Verdicts: **covered** — a Palisade rule reports the same problem on that resource type (verified against "
        "Palisade's output); **false positive** — checkov's failure is wrong for this template, and why; **out of "
        "scope** — a resource type or setting Palisade does not model or that is not about network isolation; "
        "**GAP** — a true problem Palisade should report but did not.",
        "",
        "| template | checkov failed | covered | false positive | out of scope | gaps | Palisade findings | Palisade only |",
        "|---|---|---|---|---|---|---|---|",
    ] + summary + [
        f"| **total** | {sum(totals[v] for v in (COVERED, FALSE_POSITIVE, OUT_OF_SCOPE, 'GAP', 'unclassified'))} | "
        f"{totals[COVERED]} | {totals[FALSE_POSITIVE]} | {totals[OUT_OF_SCOPE]} | {totals['GAP'] + totals['unclassified']} | "
        f"{totals['palisade']} | {totals['beyond']} |",
        "",
        "\"Palisade only\" findings are the graph-level problems checkov cannot see: they need evaluated parameters and "
        "expressions, nested deployments, or relations between resources (private DNS zone names and links, service "
        "endpoints without policies, NSG first-match order, compute versus workspace endpoints, exfiltration tags).",
        "",
    ] + [s + "\n" for s in sections]
    with open(output, "w") as handle:
        handle.write("\n".join(lines).rstrip() + "\n")


if __name__ == "__main__":
    main()
