import PalisadeModel
import PalisadeRules
import Testing

/// style.md §8: messages are lower-case and quote the resource they are about; findings carry the rule's kind.
@Suite struct RuleMessageTests {
    @Test(arguments: RuleCatalog.all.map { $0.description.id }) func messagesFollowStyle(id: String) throws {
        let rule = try #require(RuleCatalog.rule(id)).description
        for example in rule.failingExamples {
            let (intents, egress) = ExampleLoader.declarations(example)
            let findings = Checker.run(try ExampleLoader.graph(example), rules: RuleCatalog.all.filter { $0.description.id == id },
                                       intents: intents, declaredEgress: egress)
            for finding in findings {
                #expect(finding.message.first?.isLowercase ?? false, "\(id): message should start lower-case: \(finding.message)")
                #expect(finding.message.contains("'\(finding.subject.name)'"), "\(id): message should quote '\(finding.subject.name)': \(finding.message)")
                #expect(!finding.message.hasSuffix("."), "\(id): message should not end with a full stop")
            }
        }
    }

    @Test(arguments: RuleCatalog.all.map { $0.description.id }) func descriptionsAreComplete(id: String) throws {
        let rule = try #require(RuleCatalog.rule(id)).description
        #expect(!rule.rationale.isEmpty && !rule.fix.isEmpty && !rule.source.isEmpty)
        #expect(rule.fix.first?.isLowercase ?? false, "\(id): fix should start lower-case")
        #expect(rule.title.split(separator: " ").allSatisfy { $0.first?.isUppercase ?? false }, "\(id): title should be Title Case")
    }
}
