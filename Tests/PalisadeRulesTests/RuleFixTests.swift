import Foundation
import PalisadeDiff
import PalisadeModel
import PalisadeRules
import Testing

/// Every rule's failing examples have a fix that is proven: applied to a copy of the graph and re-checked, the
/// finding is gone and nothing else got worse (no new or more severe finding, no intent broken, no flow opened
/// beyond the fix's purpose). For spec examples the spec edit is re-planned and held to the same test.
@Suite struct RuleFixTests {
    /// Findings (`rule` or `rule/resource`) that need a human decision, so no automatic change is proposed. Each
    /// entry says why.
    static let needsHumanDecision: [String: String] = [
        "compute_egress_path/private": "the estate has no Azure Firewall, and the only egress Palisade could add (a NAT gateway) bypasses a firewall; whether to deploy a firewall is a design decision (with a firewall the fix routes to it, as the same example's 'legacy' subnet shows)",
        "egress_bypasses_firewall": "the example estate has no Azure Firewall; closing the path means deploying one (SKU, rules, addresses), a design decision",
        "intent_violated": "an intent states what the designer wants; whether the dropping hop should open or the intent is wrong only the designer knows",
        "managed_network_limits": "replacing an FQDN rule to storage with a private-endpoint rule needs the storage account chosen, and VM or Kubernetes compute must move to customer-managed networking",
        "virtual_network_custom_dns": "the custom DNS servers live outside the model; their forwarding is configured on those servers",
    ]

    /// Findings whose fix is automatable but not automated yet. Each entry says what it would take.
    static let notYetAutomated: [String: String] = [
        "required_destination_blocked": "needs per-destination firewall application or network rules and NSG rules generated from the blocked hop",
    ]

    static func exception(_ id: String, _ resource: String) -> String? {
        needsHumanDecision["\(id)/\(resource)"] ?? needsHumanDecision[id] ?? notYetAutomated["\(id)/\(resource)"] ?? notYetAutomated[id]
    }

    @Test(arguments: RuleCatalogTests.rules.map(\.id)) func failingExamplesHaveVerifiedFixes(id: String) throws {
        let rule = try #require(RuleCatalog.rule(id)).description
        for example in rule.failingExamples {
            let graph = try ExampleLoader.graph(example)
            let (intents, egress) = ExampleLoader.declarations(example)
            let all = Checker.run(graph, intents: intents, declaredEgress: egress)
            let spec = example.format == .spec ? SpecSource(text: example.text, file: "\(example.file):\(example.line)") : nil
            let review = FixReview(graph: graph, intents: intents, declaredEgress: egress, findings: all, spec: spec)
            for finding in all where finding.ruleID == id {
                let fix = review.fix(for: finding)
                if let reason = Self.exception(id, finding.subject.name) {
                    #expect(fix.status == .none, "\(id) is listed as without automatic fix (\(reason)) but has one")
                    continue
                }
                #expect(fix.status == .verified, "\(id): example at line \(example.line), '\(finding.subject.name)': \(fix.reason ?? "")")
                guard fix.status == .verified else { continue }
                #expect(!fix.edits.isEmpty, "\(id): a verified fix changes the model")
                // The code to change, unless the renderers do not carry the changed properties (then the fix says so).
                #expect(fix.arm != nil || fix.terraform != nil || fix.bicep != nil || fix.reason?.contains("renderers do not carry") == true,
                        "\(id): a verified fix shows the code to change")
                if spec != nil {
                    #expect(!fix.specPatches.isEmpty, "\(id): spec example at line \(example.line) has no verified spec edit: \(fix.reason ?? "")")
                }
            }
        }
    }
}
