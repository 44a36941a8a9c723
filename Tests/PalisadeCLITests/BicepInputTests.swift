import Foundation
import Testing

/// Every command that takes an input accepts `.bicep`; bad Bicep exits 2 with file:line:column.
@Suite struct BicepInputTests {
    let cli = CLITests()
    static let blueprint = "../shared/fixtures/bicep/azure-ml-secure-blueprint/app-infrastructure.bicep"
    static let parameters = ["--parameter", "instance=dev", "--parameter", "prefix=blueprint", "--parameter", "location=westeurope",
                             "--parameter", "vmAdminPassword=not-shown"]

    @Test func expandAndCheckReadBicep() throws {
        let expand = try cli.run(["expand", Self.blueprint] + Self.parameters)
        #expect(expand.status == 0, "\(expand.stderr)")
        #expect(expand.stdout.contains("modules/machineLearningWorkspace.bicep:25"))
        #expect(!expand.stdout.contains("not-shown"))
        let check = try cli.run(["check", Self.blueprint] + Self.parameters)
        #expect(check.stdout.contains("modules/virtualMachine.bicep:60"))
        let plan = try cli.run(["plan", Self.blueprint] + Self.parameters)
        #expect(plan.status == 0, "\(plan.stderr)")
    }

    @Test func badBicepExitsTwoWithPosition() throws {
        let dir = NSTemporaryDirectory() + "palisade-cli-bicep-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = dir + "/bad.bicep"
        try Data("param ok string\nresource x 'Microsoft.Network/virtualNetworks@2023-09-01' = {\n  name: (\n}\n".utf8)
            .write(to: URL(fileURLWithPath: file))
        let result = try cli.run(["expand", file])
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.bicep:4:1"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
