import PalisadeModel
import Testing
@testable import PalisadeNetwork

/// T7: symbolic tags keep the containments Microsoft's data shows (regional ⊂ global ⊂ AzureCloud, regional ⊂
/// AzureCloud.<region>), except tags whose prefixes straddle AzureCloud.
@Suite("Service-tag containment: regional tags inside their global tag")
struct TagContainmentTests {
    func model(deny tag: String) -> NetworkModel {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        let nsg = e.nsg("nsg", [
            rule("deny-cloud", 100, .outbound, .deny, .any, to: .serviceTag(tag)),
            rule("aml", 200, .outbound, .allow, .any, to: .serviceTag("AzureMachineLearning")),
            rule("entra", 210, .outbound, .allow, .any, to: .serviceTag("AzureActiveDirectory")),
            rule("storage", 220, .outbound, .allow, .any, to: .serviceTag("Storage.WestEurope")),
        ])
        let subnet = e.subnet(vnet, "s", "10.0.1.0/24", nsg: nsg, defaultOutbound: true)
        e.nic("vm", subnet: subnet, ip: "10.0.1.4")
        return e.compile()
    }

    func verdict(_ model: NetworkModel, _ tag: String) -> Verdict {
        model.trace(from: .address(ip("10.0.1.4")), to: .serviceTag(tag), port: 443, protocol: .tcp).verdict
    }

    @Test func azureCloudHoldsTheTagsInsideIt() {
        let m = model(deny: "AzureCloud")
        #expect(verdict(m, "AzureMachineLearning") == .denied)
        #expect(verdict(m, "Storage.WestEurope") == .denied)
        // AzureActiveDirectory has prefixes outside AzureCloud (2025-10-28 data), so a symbolic deny can't cover it.
        #expect(verdict(m, "AzureActiveDirectory") == .allowed)
        // reach agrees with trace on the same question.
        let reach = m.reach(from: .address(ip("10.0.1.4"))).sources[0].allowed
        let packet = { (tag: String) in Packet(source: .ip(ip("10.0.1.4")), destination: .atom(.tag(tag)), protocol: .tcp, destinationPort: 443) }
        #expect(!reach.contains(packet("AzureMachineLearning")))
        #expect(reach.contains(packet("AzureActiveDirectory")))
    }

    @Test func regionalAzureCloudHoldsOnlyThatRegion() {
        let m = model(deny: "AzureCloud.westeurope")
        #expect(verdict(m, "Storage.WestEurope") == .denied)
        #expect(verdict(m, "AzureMachineLearning") == .allowed)
    }

    @Test func straddlingIsDecidedPerService() {
        #expect(TagResolver.straddlesAzureCloud("AzureActiveDirectory"))
        #expect(TagResolver.straddlesAzureCloud("DataFactory.WestUS3"))
        #expect(TagResolver.straddlesAzureCloud("Storage"))
        #expect(!TagResolver.straddlesAzureCloud("Storage.WestUS"))
        #expect(!TagResolver.straddlesAzureCloud("AzureMachineLearning"))
    }
}
