import PalisadeModel

extension NetworkModel {
    /// What a NAT gateway carries: TCP and UDP only; ICMP (and anything else) to the Internet is dropped
    /// (https://learn.microsoft.com/azure/nat-gateway/nat-overview, docs/semantics.md#nat-gateway-protocols).
    static let natGatewayProtocols = ProtocolSet.tcpUdp
}
