import Foundation
import Testing

/// `check --intents FILE` and `hosts` placeholders, as a user runs them.
@Suite struct IntentCommandTests {
    let cli = CLITests()

    func write(_ text: String, _ name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-intents-\(UUID().uuidString)-\(name)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func checkProvesDeclaredIntents() throws {
        let good = try write("intents:\n  - from: all computes\n    mustReach: [pypi.org]\n    ports: [443]\n", "good.yaml")
        #expect(try cli.run(["check", "--intents", good]).status == 0)
        let bad = try write("intents:\n  - from: all computes\n    mustReach: [example.org]\n    ports: [443]\n", "bad.yaml")
        let failed = try cli.run(["check", "--intents", bad, "--format", "sarif"])
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("intent_violated") && failed.stdout.contains("example.org"))
        let broken = try write("intents:\n  - from: all computes\n    mustReach: [example.org]\n    port: 443\n", "broken.yaml")
        let refused = try cli.run(["check", "--intents", broken])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("unknown key 'port'") && refused.stderr.contains("ports"))
    }

    /// A violated "may reach only" carries its counterexample packet in JSON, and the HTML report shows the finding.
    @Test func counterexamplesInJSONAndHTML() throws {
        let tight = try write("intents:\n  - from: all computes\n    mayReachOnly: [VirtualNetwork]\n", "tight.yaml")
        let json = try cli.run(["check", "--intents", tight, "--format", "json"])
        #expect(json.status == 1)
        #expect(json.stdout.contains("intent_violated") && json.stdout.contains("counterexample packet"))
        let spec = try write("""
        intents:
          - from: all computes
            mayReachOnly: [VirtualNetwork]
        """, "spec.yaml")
        let html = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-intents-\(UUID().uuidString).html").path
        #expect(try cli.run(["report", spec, "--out", html, "--no-reach"]).status == 0)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("intent_violated") && page.contains("spec.yaml"))
    }

    @Test func hostsMarksAzureAssignedIDsAsPlaceholders() throws {
        let unknown = try cli.run(["hosts"])
        #expect(unknown.status == 0)
        #expect(unknown.stdout.contains("<workspace-guid>.workspace.westeurope.api.azureml.ms"))
        #expect(unknown.stdout.contains("--workspace-guid"))
        let lines = unknown.stdout.split(separator: "\n").filter { $0.contains("<workspace-guid>") && !$0.hasPrefix("#   ") }
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("# ") })
        let guid = "0f8fad5b-d9cb-469f-a165-70867728950e"
        let known = try cli.run(["hosts", "--workspace-guid", guid])
        #expect(known.status == 0)
        #expect(known.stdout.split(separator: "\n").contains { !$0.hasPrefix("#") && $0.contains("\(guid).workspace.westeurope.api.azureml.ms") })
        #expect(!known.stdout.contains("<workspace-guid>"))
        #expect(try cli.run(["hosts", "--workspace-guid", "nope"]).status != 0)
    }
}
