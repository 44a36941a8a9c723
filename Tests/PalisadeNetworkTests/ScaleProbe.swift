import PalisadeModel
import Testing
import Foundation
import PalisadeNetwork

@Suite struct ScaleProbe {
    @Test func probe() throws {
        guard ProcessInfo.processInfo.environment["PALISADE_SCALE_PROBE"] != nil else { return }
        let t0 = Date()
        let graph = SyntheticEstate.hubAndSpoke(spokes: 200, subnetsPerSpoke: 8, rulesPerNSG: 40, firewallRules: 2000)
        let t1 = Date()
        let model = NetworkModel.compile(graph)
        let t2 = Date()
        let report = model.reach()
        let t3 = Date()
        _ = model.trace(from: .subnet(model.subnetOrder[1]), to: .address(IPv4Address(10, 16, 16, 4)), port: 443)
        let t3b = Date()
        let trace = model.trace(from: .subnet(model.subnetOrder[2]), to: .address(IPv4Address(10, 16, 32, 4)), port: 443)
        let t4 = Date()
        print("PROBE gen", t1.timeIntervalSince(t0), "compile", t2.timeIntervalSince(t1), "reach", t3.timeIntervalSince(t2), "trace1", t3b.timeIntervalSince(t3), "trace2", t4.timeIntervalSince(t3b), report.sources.count, trace.verdict)
    }
}
