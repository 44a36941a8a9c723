import PalisadeModel
import Testing
@testable import PalisadeNetwork

/// Rule IDs whose documented behaviour had no test of its own (N15, N24, P8).
@Suite("Cited rules without a worked example")
struct CitedRuleTests {
    /// N15: NSGs are stateful; the reply of an allowed flow needs no rule in the opposite direction.
    @Test func n15RepliesNeedNoRule() {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        // The client's subnet refuses anything *from* the server, the server's subnet anything *to* the client.
        let clientNSG = e.nsg("client", [rule("no-in-from-server", 100, .inbound, .deny, .any, from: cidrs("10.0.2.0/24"))])
        let serverNSG = e.nsg("server", [rule("no-out-to-client", 100, .outbound, .deny, .any, to: cidrs("10.0.1.0/24"))])
        e.nic("client", subnet: e.subnet(vnet, "c", "10.0.1.0/24", nsg: clientNSG), ip: "10.0.1.4")
        e.nic("server", subnet: e.subnet(vnet, "s", "10.0.2.0/24", nsg: serverNSG), ip: "10.0.2.4")
        let model = e.compile()
        #expect(model.trace(from: .address(ip("10.0.1.4")), to: .address(ip("10.0.2.4")), port: 443).verdict == .allowed)
        // The other way round the same rules bite: they are rules for new flows, not for replies.
        #expect(model.trace(from: .address(ip("10.0.2.4")), to: .address(ip("10.0.1.4")), port: 443).verdict == .denied)
    }

    /// N24: 168.63.129.16 is a host virtual IP, not subject to UDRs (a 0/0 → None route does not drop DNS).
    @Test func n24WireServerIgnoresRoutes() {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        let table = e.routeTable("rt", [udr("drop-all", "0.0.0.0/0", .none)])
        e.nic("vm", subnet: e.subnet(vnet, "s", "10.0.1.0/24", routeTable: table), ip: "10.0.1.4")
        let model = e.compile()
        #expect(model.trace(from: .address(ip("10.0.1.4")), to: .address(.azureHost), port: 53, protocol: .udp).verdict == .allowed)
        #expect(model.trace(from: .address(ip("10.0.1.4")), to: .address(ip("8.8.8.8")), port: 53, protocol: .udp).verdict == .denied)
    }

    /// P8: a private endpoint is reachable from its VNet and from peered VNets, not from an unpeered one.
    @Test func p8PrivateEndpointsAcrossPeering() {
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let spoke = e.vnet("spoke", ["10.1.0.0/16"])
        let island = e.vnet("island", ["10.2.0.0/16"])
        e.peer(hub, spoke)
        e.privateEndpoint("pe", subnet: e.subnet(hub, "pe", "10.0.2.0/24"), target: e.storage("acct"), group: "blob", ip: "10.0.2.5")
        e.nic("spoke-vm", subnet: e.subnet(spoke, "s", "10.1.1.0/24"), ip: "10.1.1.4")
        e.nic("island-vm", subnet: e.subnet(island, "s", "10.2.1.0/24"), ip: "10.2.1.4")
        let model = e.compile()
        #expect(model.trace(from: .address(ip("10.1.1.4")), to: .address(ip("10.0.2.5")), port: 443).verdict == .allowed)
        #expect(model.trace(from: .address(ip("10.2.1.4")), to: .address(ip("10.0.2.5")), port: 443).verdict == .denied)
    }
}
