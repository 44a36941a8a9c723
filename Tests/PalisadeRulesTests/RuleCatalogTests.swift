import Foundation
import PalisadeARM
import PalisadeModel
import PalisadeRender
import PalisadeRules
import PalisadeSpec
import Testing

/// Loads a rule example into a graph, through the same paths users' inputs take.
enum ExampleLoader {
    static func graph(_ example: RuleExample, reversed: Bool = false) throws -> ResourceGraph {
        switch example.format {
        case .spec:
            let (design, diagnostics) = SpecLoader().design(yaml: example.text, file: "\(example.file):\(example.line)")
            guard let design else { throw ExampleError(message: "spec example does not plan: \(diagnostics.errors)") }
            return design.graph
        case .arm:
            var text = example.text
            if reversed { text = try reverseResources(text) }
            let (node, diagnostics) = ARMLoader.parse(bytes: Array(text.utf8), file: "example.json")
            guard let node else { throw ExampleError(message: "ARM example does not parse: \(diagnostics.errors)") }
            var options = EvaluationOptions()
            options.placeholders = true
            let deployment = TemplateEvaluator.expand(node, file: "example.json", options: options)
            let (graph, importDiagnostics) = ARMImporter.importDeployment(deployment)
            if importDiagnostics.hasErrors { throw ExampleError(message: "ARM example does not import: \(importDiagnostics.errors)") }
            return graph
        }
    }

    /// The intents a spec example declares and the egress it declares (none for ARM examples).
    static func declarations(_ example: RuleExample) -> ([IntentDeclaration], DeclaredEgress) {
        guard example.format == .spec,
              let design = SpecLoader().design(yaml: example.text, file: "\(example.file):\(example.line)").design
        else { return ([], .undeclared) }
        return (design.intents, design.declaredEgress)
    }

    /// The same template with its `resources` array in reverse order.
    static func reverseResources(_ text: String) throws -> String {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        object["resources"] = Array((object["resources"] as? [Any] ?? []).reversed())
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }
}

struct ExampleError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Every rule's own examples, plus the transformed re-runs style.md asks for.
@Suite struct RuleCatalogTests {
    static let rules: [RuleDescription] = RuleCatalog.all.map { $0.description }

    func findings(of rule: RuleDescription, in graph: ResourceGraph, example: RuleExample? = nil) -> [Finding] {
        let (intents, egress) = example.map(ExampleLoader.declarations) ?? ([], .undeclared)
        return Checker.run(graph, rules: RuleCatalog.all.filter { $0.description.id == rule.id }, intents: intents, declaredEgress: egress)
    }

    @Test(arguments: rules.map(\.id)) func examplesBehave(id: String) throws {
        let rule = try #require(RuleCatalog.rule(id)).description
        #expect(!rule.failingExamples.isEmpty, "\(id) needs a failing example")
        #expect(!rule.passingExamples.isEmpty, "\(id) needs a passing example")
        for example in rule.passingExamples {
            let found = findings(of: rule, in: try ExampleLoader.graph(example), example: example)
            #expect(found.isEmpty, "\(id): passing example at line \(example.line) flagged \(found.map(\.subject.name))")
        }
        for example in rule.failingExamples {
            let graph = try ExampleLoader.graph(example)
            let found = findings(of: rule, in: graph, example: example)
            #expect(Set(found.map(\.subject.name)) == Set(example.flagged),
                    "\(id): failing example at line \(example.line) flagged \(found.map(\.subject.name)), expected \(example.flagged)")
            #expect(found.allSatisfy { !$0.evidence.isEmpty && !$0.fix.isEmpty })
            // Resource order does not matter.
            if example.format == .arm {
                // Locations move with the text; everything else must stay the same.
                func located(_ list: [Finding]) -> [Finding] { list.map { var f = $0; f.location = nil; return f } }
                let reordered = findings(of: rule, in: try ExampleLoader.graph(example, reversed: true))
                #expect(located(reordered) == located(found), "\(id): findings change when resources are reordered")
            }
            // The same spec example, rendered to ARM and imported again, flags the same resources (a template
            // carries no declared intents, so examples that declare them are not compared).
            if example.format == .spec, ExampleLoader.declarations(example).0.isEmpty {
                let rendered = Renderer.render(graph, target: .arm)
                let template = try #require(rendered.files.first { $0.path.hasSuffix("azuredeploy.json") })
                let (node, _) = ARMLoader.parse(bytes: Array(template.contents.utf8), file: "azuredeploy.json")
                var options = EvaluationOptions()
                options.placeholders = true
                let (imported, _) = ARMImporter.importDeployment(TemplateEvaluator.expand(try #require(node), file: "azuredeploy.json", options: options))
                let again = findings(of: rule, in: imported)
                #expect(Set(again.map(\.subject.name)) == Set(example.flagged), "\(id): the ARM form of the spec example flags \(again.map(\.subject.name))")
            }
            // A waiver suppresses exactly the waived findings.
            var waived = graph
            waived.waivers = example.flagged.map { Waiver(ruleID: id, resource: $0, reason: "accepted in test") }
            let suppressed = findings(of: rule, in: waived, example: example)
            #expect(suppressed.allSatisfy { $0.suppression != nil })
            #expect(!Checker.fails(suppressed, threshold: .note))
        }
    }

    @Test func catalogIsSortedUniqueAndDocumented() throws {
        let ids = Self.rules.map(\.id)
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) != nil })
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/rules.md")
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == RuleDocumentation.markdown(),
                "docs/rules.md is out of date. Run `swift run palisade rules --markdown > docs/rules.md`.")
    }

    @Test func builtInDefaultHasNoErrorFindings() throws {
        let design = try #require(EnvironmentDesigner.design(Spec()).design)
        let findings = Checker.run(design.graph)
        #expect(!Checker.fails(findings, threshold: .error), "\(findings.filter { $0.severity == .error }.map(\.message))")
    }
}
