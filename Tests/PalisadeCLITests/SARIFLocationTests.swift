import Foundation
import Testing

/// Every SARIF result of every input kind has a physical location GitHub code scanning can place: a URI relative
/// to `%SRCROOT%` (declared in `originalUriBaseIds`) and a line and column, in a log valid against SARIF 2.1.0.
@Suite struct SARIFLocationTests {
    static let schema: JSONSchemaSubset? = {
        let url = CLIRunner.fixtures.appendingPathComponent("sarif/sarif-schema-2.1.0.json")
        return (try? String(contentsOf: url, encoding: .utf8)).flatMap { try? JSONValue.parse($0) }.map(JSONSchemaSubset.init)
    }()

    /// Runs `check --format sarif` and checks the log; returns the results' artifact URIs.
    func placedResults(_ arguments: [String], in directory: URL = CLIRunner.repository,
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let schema = try #require(Self.schema, "the SARIF schema fixture is missing", sourceLocation: sourceLocation)
        let run = try CLIRunner.run(["check"] + arguments + ["--format", "sarif"], in: directory)
        #expect(run.status == 0 || run.status == 1, "\(run.stderr)", sourceLocation: sourceLocation)
        let log = try JSONValue.parse(run.stdout)
        #expect(schema.errors(log) == [], sourceLocation: sourceLocation)
        let runObject = try #require(log["runs"]?.array?.first, sourceLocation: sourceLocation)
        let results = runObject["results"]?.array ?? []
        #expect(!results.isEmpty, "the input should produce findings", sourceLocation: sourceLocation)
        var uris: [String] = []
        for result in results {
            let rule = result["ruleId"]?.string ?? "?"
            let physical = result["locations"]?.array?.first?["physicalLocation"]
            let artifact = physical?["artifactLocation"]
            let uri = try #require(artifact?["uri"]?.string, "\(rule) has no physical location", sourceLocation: sourceLocation)
            #expect((physical?["region"]?["startLine"]?.int ?? 0) >= 1, "\(rule) has no line", sourceLocation: sourceLocation)
            #expect((physical?["region"]?["startColumn"]?.int ?? 0) >= 1, "\(rule) has no column", sourceLocation: sourceLocation)
            if let base = artifact?["uriBaseId"]?.string {
                #expect(!uri.hasPrefix("/") && !uri.contains("://"), "\(rule): \(uri) should be relative", sourceLocation: sourceLocation)
                let root = runObject["originalUriBaseIds"]?[base]?["uri"]?.string ?? ""
                #expect(root.hasPrefix("file:///") && root.hasSuffix("/"), "\(base) = '\(root)'", sourceLocation: sourceLocation)
            } else {
                #expect(uri.hasPrefix("file:///"), "\(rule): \(uri) is neither relative to a base nor absolute", sourceLocation: sourceLocation)
            }
            uris.append(uri)
        }
        return uris
    }

    @Test func specYAMLResultsPointAtSpecLines() throws {
        let uris = try placedResults(["examples/privateaml.yaml"])
        #expect(Set(uris) == ["examples/privateaml.yaml"])
    }

    @Test func specJSONResultsPointAtSpecLines() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try #"{"name": "jsonspec", "compute": {"publicIp": true}}"#.write(to: directory.appendingPathComponent("spec.json"), atomically: true, encoding: .utf8)
        #expect(Set(try placedResults(["spec.json"], in: directory)) == ["spec.json"])
    }

    @Test func armTemplateResultsAreRelativeToTheSourceRoot() throws {
        let folder = CLIRunner.fixtures.appendingPathComponent("arm/aml-end-to-end-secure")
        let uris = try placedResults([folder.appendingPathComponent("azuredeploy.json").path,
                                      "--parameters", folder.appendingPathComponent("azuredeploy.parameters.json").path,
                                      "--placeholders", "--source-root", CLIRunner.fixtures.path])
        #expect(Set(uris) == ["arm/aml-end-to-end-secure/azuredeploy.json"])
    }

    @Test func resourceExportResultsPointAtTheirEntries() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let export = """
        [
          {"id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stopen",
           "name": "stopen", "type": "Microsoft.Storage/storageAccounts", "location": "westeurope", "kind": "StorageV2",
           "sku": {"name": "Standard_LRS"}, "properties": {"publicNetworkAccess": "Enabled", "allowBlobPublicAccess": true}}
        ]
        """
        try export.write(to: directory.appendingPathComponent("export.json"), atomically: true, encoding: .utf8)
        #expect(Set(try placedResults(["export.json"], in: directory)) == ["export.json"])
    }

    @Test func outsideTheSourceRootIsAnAbsoluteFileURI() throws {
        let folder = CLIRunner.fixtures.appendingPathComponent("arm/aml-end-to-end-secure")
        let uris = try placedResults([folder.appendingPathComponent("azuredeploy.json").path,
                                      "--parameters", folder.appendingPathComponent("azuredeploy.parameters.json").path,
                                      "--placeholders", "--source-root", CLIRunner.repository.path])
        #expect(uris.allSatisfy { $0.hasPrefix("file:///") && $0.hasSuffix("/arm/aml-end-to-end-secure/azuredeploy.json") })
    }

    /// The schema check is not a formality: a log with a misplaced property and a missing version fails it.
    @Test func schemaCheckRejectsInvalidLogs() throws {
        let schema = try #require(Self.schema)
        let bad = try JSONValue.parse("""
        {"runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "locations": [
          {"physicalLocation": {"artifactLocation": {"uri": "a.yaml"}, "region": {"startLine": 0, "line": 3}}}]}]}]}
        """)
        let errors = schema.errors(bad)
        #expect(errors.contains { $0.contains("missing required 'version'") })
        #expect(errors.contains { $0.contains("region") })
    }
}
