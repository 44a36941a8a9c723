import Foundation
import PalisadeModel
@testable import PalisadeRender
import PalisadeSpec
import Testing

/// Inputs and the golden-file assertion shared by the render tests.
enum Fixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let snapshotSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    /// The built-in default's graph.
    static func defaultGraph() throws -> ResourceGraph {
        try #require(EnvironmentDesigner.design(Spec()).design).graph
    }

    /// An example spec's graph.
    static func example(_ name: String) throws -> ResourceGraph {
        let path = repository.appendingPathComponent("examples/\(name).yaml").path
        return try #require(SpecLoader().design(file: path).design).graph
    }

    /// What a render deploys: the graph's deployable resources plus the existing subnets it updates (the reused
    /// subnets of an existing spoke VNet, which ARM and Bicep write whole).
    static func deployed(_ graph: ResourceGraph) -> ResourceGraph {
        var result = graph.deployable
        let spoke = RenderContext.existingSpokeNetwork(in: graph)?.id
        for subnet in graph.all(Subnet.self) where graph.isExisting(subnet.id) && subnet.virtualNetwork == spoke { result.insert(subnet) }
        return result
    }

    static let exampleNames = ["hub", "landing-zone-existing-spoke", "landing-zone-hub", "landing-zone-vwan", "managed-vnet", "managed-vnet-approved", "privateaml"]
}

/// Compares `actual` with `Snapshots/<path>`; with `RECORD_SNAPSHOTS=1` (or when the file is missing) it writes
/// the file into the source tree and fails once, so a re-recording is always a visible diff.
func assertSnapshot(_ actual: String, path: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil
    let bundled = Bundle.module.resourceURL?.appendingPathComponent("Snapshots/\(path)")
    let expected = bundled.flatMap { try? String(contentsOf: $0, encoding: .utf8) }
    if let expected, actual == expected { return }
    if !recording, let expected {
        #expect(actual == expected, "\(path) differs from its golden file; re-record with RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
        return
    }
    let target = Fixtures.snapshotSource.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(actual.utf8).write(to: target, options: .atomic)
    Issue.record("recorded \(path); run the tests again without RECORD_SNAPSHOTS", sourceLocation: sourceLocation)
}
