import Foundation
import PalisadeModel
import PalisadeNetwork
import PalisadeRules

extension ChangeReview {
    /// Deterministic plain text: verdict, flows opened and closed (with witnesses), findings, resources.
    public var text: String {
        var lines = ["diff \(before) → \(after)"]
        lines.append(verdictLine(failOn: Set(FailureCategory.allCases)))
        for failure in failures { lines.append("  \(failure.category.phrase): \(failure.message)") }
        func flows(_ title: String, _ list: [FlowChange], _ names: [NameChange]) {
            lines.append("")
            lines.append("\(title) (\(list.count + names.count)):")
            if list.isEmpty && names.isEmpty { lines.append("  none") }
            for flow in list {
                let tags = flow.categories.isEmpty ? "" : "  [\(flow.categories.map(\.rawValue).joined(separator: ", "))]"
                lines.append("  \(flow.source) → \(flow.destination.text)  \(flow.services.joined(separator: ", "))\(tags)")
                if let witness = flow.witness {
                    lines.append(contentsOf: Self.plain(witness.text).split(separator: "\n").map { "      \($0)" })
                }
            }
            for name in names {
                lines.append("  \(name.source) → name \(name.grant.pattern)  \(name.grant.protocols.joined(separator: ","))  [\(name.grant.rule)]")
            }
        }
        flows("Newly allowed", opened, openedNames)
        flows("Newly blocked", closed, closedNames)
        lines.append("")
        lines.append("Findings introduced (\(introduced.count)):")
        if introduced.isEmpty { lines.append("  none") }
        for f in introduced { lines.append("  \(f.severity.rawValue) \(f.ruleID) \(f.subject.name): \(f.message)") }
        lines.append("Findings resolved (\(resolved.count)):")
        if resolved.isEmpty { lines.append("  none") }
        for f in resolved { lines.append("  \(f.severity.rawValue) \(f.ruleID) \(f.subject.name): \(f.message)") }
        lines.append("")
        lines.append("Resources (\(resources.count) changed):")
        if resources.isEmpty { lines.append("  none") }
        for r in resources {
            lines.append("  \(r.kind.rawValue) \(r.type.rawValue) \(r.id.name)")
            for p in r.properties { lines.append("      \(p.path): \(p.before ?? "(absent)") → \(p.after ?? "(absent)")") }
        }
        return lines.joined(separator: "\n")
    }

    /// Trace text without the engine's internal rule references (`(N7, N11)`, `(M3; not recommended)` →
    /// `(not recommended)`), for people reviewing a change.
    static func plain(_ text: String) -> String {
        var result = text.replacingOccurrences(of: #"(§\d+(\.\d+)*|\b[A-Z]{1,2}\d{1,2}\b)([,;] ?)?"#, with: "", options: .regularExpression)
        result = result.replacingOccurrences(of: #" ?\(\s*\)"#, with: "", options: .regularExpression)
        result = result.replacingOccurrences(of: #"\(\s+"#, with: "(", options: .regularExpression)
        return result
    }

    /// One line: fails (and why) or passes, counting only `failOn` categories.
    public func verdictLine(failOn: Set<FailureCategory>) -> String {
        let hit = Set(failures.map(\.category)).intersection(failOn).sorted()
        if hit.isEmpty { return "result: passes (\(opened.count) flows opened, \(closed.count) closed, \(introduced.count) findings introduced)" }
        return "result: FAILS: the change " + hit.map(\.phrase).joined(separator: "; ")
    }

    /// Deterministic JSON (sorted keys).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// SARIF with only what the change introduces, so code scanning shows new problems on the pull request.
    /// `relativeTo` makes file paths repository-relative.
    public func sarif(relativeTo root: String? = nil) -> SARIFLog {
        let findings = introduced.map { finding -> Finding in
            var copy = finding
            if let root, var location = copy.location {
                location.file = Self.relative(location.file, to: root)
                copy.location = location
            }
            return copy
        }
        return SARIFLog(findings: findings)
    }

    /// `path` relative to `root` when it lies inside it; unchanged otherwise.
    public static func relative(_ path: String, to root: String) -> String {
        let base = root.hasSuffix("/") ? root : root + "/"
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let standard = URL(fileURLWithPath: absolute).standardizedFileURL.path
        let standardBase = URL(fileURLWithPath: base).standardizedFileURL.path + "/"
        return standard.hasPrefix(standardBase) ? String(standard.dropFirst(standardBase.count)) : path
    }

    /// Markdown for a pull-request comment: verdict, tables of opened and closed flows (witness hops folded in
    /// `<details>`), findings and resources; cut to `limit` characters (GitHub allows 65,536 per comment).
    public func markdown(failOn: Set<FailureCategory> = Set(FailureCategory.allCases), limit: Int = 60_000, rowsPerTable: Int = 40) -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var out: [String] = ["### Palisade network review", ""]
        let hit = Set(failures.map(\.category)).intersection(failOn).sorted()
        if hit.isEmpty {
            out.append("**Passes.** \(opened.count) flow\(opened.count == 1 ? "" : "s") opened, \(closed.count) closed, \(introduced.count) finding\(introduced.count == 1 ? "" : "s") introduced, \(resolved.count) resolved.")
        } else {
            out.append("**Fails:** the change " + hit.map(\.phrase).joined(separator: "; ") + ".")
            out.append("")
            for failure in failures where failOn.contains(failure.category) { out.append("- \(cell(failure.message))") }
        }
        out.append("")
        out.append("Compared `\(before)` with `\(after)`.")
        func table(_ title: String, _ flows: [FlowChange], _ names: [NameChange]) {
            guard !flows.isEmpty || !names.isEmpty else { return }
            out.append("")
            out.append("#### \(title) (\(flows.count + names.count))")
            out.append("")
            out.append("| from | to | protocol/ports | |")
            out.append("|---|---|---|---|")
            for flow in flows.prefix(rowsPerTable) {
                let flag = flow.categories.isEmpty ? "" : "⚠️ " + flow.categories.map(\.rawValue).joined(separator: ", ")
                out.append("| \(cell(flow.source)) | \(cell(flow.destination.text)) | \(cell(flow.services.joined(separator: ", "))) | \(flag) |")
            }
            for name in names.prefix(max(0, rowsPerTable - flows.count)) {
                out.append("| \(cell(name.source)) | name `\(cell(name.grant.pattern.description))` | \(cell(name.grant.protocols.joined(separator: ", "))) | |")
            }
            if flows.count + names.count > rowsPerTable { out.append(contentsOf: ["", "…and \(flows.count + names.count - rowsPerTable) more (run `palisade diff` for all)."]) }
            let witnessed = flows.prefix(min(rowsPerTable, 10)).filter { $0.witness != nil }
            if !witnessed.isEmpty {
                out.append("")
                out.append("<details><summary>Witness traces</summary>")
                out.append("")
                out.append("```")
                for flow in witnessed { out.append(Self.plain(flow.witness?.text ?? "")); out.append("") }
                out.append("```")
                out.append("</details>")
            }
        }
        table("Newly allowed", opened, openedNames)
        table("Newly blocked", closed, closedNames)
        if !introduced.isEmpty || !resolved.isEmpty {
            out.append("")
            out.append("#### Findings")
            out.append("")
            out.append("| | rule | resource | where | message |")
            out.append("|---|---|---|---|---|")
            // Only the new version's locations are shown: the old one may have been read from a temporary copy.
            func place(_ f: Finding) -> String {
                guard let location = f.location, !location.file.isEmpty, let line = location.line else { return "" }
                return "`\(cell(location.file)):\(line)`"
            }
            for f in introduced.prefix(rowsPerTable) { out.append("| new \(f.severity.rawValue) | `\(f.ruleID)` | \(cell(f.subject.name)) | \(place(f)) | \(cell(f.message)) |") }
            for f in resolved.prefix(rowsPerTable) { out.append("| resolved | `\(f.ruleID)` | \(cell(f.subject.name)) | | \(cell(f.message)) |") }
        }
        if !resources.isEmpty {
            out.append("")
            out.append("<details><summary>Resources: \(resources.filter { $0.kind == .added }.count) added, \(resources.filter { $0.kind == .removed }.count) removed, \(resources.filter { $0.kind == .changed }.count) changed</summary>")
            out.append("")
            for r in resources.prefix(rowsPerTable) {
                out.append("- \(r.kind.rawValue) `\(r.id.name)` (\(r.type.rawValue))")
                for p in r.properties.prefix(10) { out.append("  - `\(cell(p.path))`: `\(cell(p.before ?? "absent"))` → `\(cell(p.after ?? "absent"))`") }
            }
            out.append("</details>")
        }
        var text = out.joined(separator: "\n")
        if text.count > limit {
            text = String(text.prefix(limit - 80)) + "\n\n…cut to fit a comment; run `palisade diff` for the full review.\n"
        }
        return text
    }
}
