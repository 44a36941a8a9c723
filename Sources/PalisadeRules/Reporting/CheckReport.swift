import Foundation
import PalisadeModel

/// What `palisade check` reports; Codable and versioned for machines.
public struct CheckReport: Sendable, Codable, Hashable {
    /// Report format version.
    public var schemaVersion = 1
    /// The input checked.
    public var input: String
    /// Findings, sorted by resource, rule and message.
    public var findings: [Finding]
    /// Counts of unsuppressed findings per severity.
    public var summary: [String: Int]
    /// Number of waived findings.
    public var suppressed: Int

    /// Builds a report.
    public init(input: String, findings: [Finding]) {
        self.input = input
        self.findings = findings
        let active = findings.filter { $0.suppression == nil }
        summary = Dictionary(uniqueKeysWithValues: FindingSeverity.allCases.map { severity in
            (severity.rawValue, active.filter { $0.severity == severity }.count)
        })
        suppressed = findings.count - active.count
    }

    /// Findings grouped by resource, for terminals. Verified fixes show the spec edit (`.spec`), or the ARM,
    /// Terraform or Bicep code to change, whichever matches the input.
    public func renderText(fixForm: FixForm = .arm) -> String {
        var out = "Palisade check: \(input)\n"
        if findings.isEmpty { return out + "\nNo findings.\n" }
        let groups = Dictionary(grouping: findings, by: \.subject)
        for subject in groups.keys.sorted() {
            let items = groups[subject]!
            let first = items[0]
            out += "\n\(subject.name)  (\(first.resourceType.rawValue))"
            if let location = first.location { out += "  \(location)" }
            out += "\n"
            for finding in items {
                let mark = finding.suppression == nil ? finding.severity.rawValue : "waived"
                out += "  \(mark.padding(toLength: 8, withPad: " ", startingAt: 0))\(finding.ruleID): \(finding.message)\n"
                for evidence in finding.evidence {
                    out += evidence.text.split(separator: "\n").map { "            \($0)" }.joined(separator: "\n") + "\n"
                }
                out += "          fix: \(finding.fix)\n"
                if let verified = finding.verifiedFix {
                    out += verified.textLines(form: fixForm).map { "          \($0)\n" }.joined()
                }
                if let waiver = finding.suppression { out += "          waived: \(waiver.reason)\n" }
            }
        }
        out += "\n\(summary["error"] ?? 0) error(s), \(summary["warning"] ?? 0) warning(s), \(summary["note"] ?? 0) note(s)"
        out += suppressed > 0 ? ", \(suppressed) waived\n" : "\n"
        return out
    }
}
