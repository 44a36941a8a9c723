import Foundation
import Testing

extension CLITests {
    /// An imported template with an attached AKS compute cannot be rendered without guessing: exit 2, the compute
    /// named on stderr, and no output directory written.
    @Test func renderRefusesAnAttachedComputeAndWritesNothing() throws {
        let fixture = Self.repository.deletingLastPathComponent().appendingPathComponent("shared/fixtures/arm/aml-end-to-end-secure")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-refusal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run(["render", fixture.appendingPathComponent("azuredeploy.json").path,
                              "--parameters", fixture.appendingPathComponent("azuredeploy.parameters.json").path,
                              "--target", "terraform", "--out", out.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("attached AKS compute"))
        #expect(result.stderr.contains("nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
