import Foundation
import PalisadeDiff
import PalisadeModel
import PalisadeRules
import Testing

/// Every rule's failing examples have a fix that is proven: applied to a copy of the graph and re-checked, the
/// finding is gone and nothing else got worse (no new or more severe finding, no intent broken, no flow opened
/// beyond the fix's purpose). For spec examples the spec edit is re-planned and held to the same test.
@Suite struct RuleFixTests {
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
