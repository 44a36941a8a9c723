import Foundation
import PalisadeModel
import PalisadeSpec
import Testing
import PalisadeNetwork

/// The landing-zone examples' spokes leave through the platform's firewall.
@Suite struct LandingZoneProofTests {
    static func model(_ name: String) throws -> NetworkModel {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/\(name)").path
        let design = try #require(SpecLoader().design(file: path).design)
        return NetworkModel.compile(design.graph)
    }

    /// Hub-and-spoke: the spoke's default route to the central firewall; Virtual WAN: routing intent sends the spoke's
    /// internet traffic to the secured hub's firewall (https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies).
    /// Either way the platform's policy holds only the generated group, so what it does not allow is denied.
    @Test(arguments: ["landing-zone-existing-spoke.yaml", "landing-zone-hub.yaml", "landing-zone-vwan.yaml"])
    func computeLeavesThroughThePlatformFirewall(_ name: String) throws {
        let model = try Self.model(name)
        let trace = try model.trace(from: "cpu-cluster", to: "pypi.org", port: 443)
        #expect(trace.verdict == .allowed, "\(trace.text)")
        #expect(trace.hops.contains { $0.kind == "AzureFirewall" }, "\(trace.text)")
        let blocked = try model.trace(from: "cpu-cluster", to: "example.com", port: 443)
        #expect(blocked.verdict == .denied, "\(blocked.text)")
    }
}
