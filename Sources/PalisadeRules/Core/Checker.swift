import PalisadeModel
import PalisadeNetwork

/// Runs the catalog over a graph, applies waivers and orders findings deterministically.
public enum Checker {
    /// All findings of every rule in `rules`, sorted by resource, then rule, then message.
    /// `intents` are the input's declared intents; `declaredEgress` its declared package sources and extra egress.
    public static func run(_ graph: ResourceGraph, rules: [any Rule.Type] = RuleCatalog.all, network: NetworkModel? = nil,
                           intents: [IntentDeclaration] = [], declaredEgress: DeclaredEgress = .undeclared) -> [Finding] {
        let context = RuleContext(graph: graph, network: network, intents: intents, declaredEgress: declaredEgress)
        var findings: [Finding] = []
        for rule in rules {
            for var finding in rule.init().check(context) {
                finding.suppression = graph.waivers.first { $0.covers(rule: finding.ruleID, subject: finding.subject) }
                findings.append(finding)
            }
        }
        return findings.sorted { ($0.subject, $0.ruleID, $0.message) < ($1.subject, $1.ruleID, $1.message) }
    }

    /// Whether any unsuppressed finding is at or above `threshold` (exit code 1).
    public static func fails(_ findings: [Finding], threshold: FindingSeverity) -> Bool {
        findings.contains { $0.suppression == nil && $0.severity >= threshold }
    }
}
