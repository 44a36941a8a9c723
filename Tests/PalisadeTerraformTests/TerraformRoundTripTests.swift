import Foundation
import PalisadeModel
import PalisadeRender
import PalisadeSpec
import Testing
@testable import PalisadeTerraform

/// Every spec rendered to Terraform and read back gives the same graph as the spec.
@Suite struct TerraformRoundTripTests {
    static let examples: [String] = {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { directory.appendingPathComponent($0).path }
    }()

    static func specGraph(_ path: String?) -> ResourceGraph? {
        guard let path else { return EnvironmentDesigner.design(Spec()).0?.graph }
        return SpecLoader().design(file: path).0?.graph
    }

    /// Renders `graph` into a fresh directory and reads it back.
    static func roundTrip(_ graph: ResourceGraph) throws -> TerraformReadResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-tf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = TerraformOptions()
        options.environment = [:]
        for file in Renderer.render(graph, target: .terraform).files {
            // The platform team's module sits in its own folder, which a read of the spoke's folder does not include.
            let target = directory.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.contents.write(to: target, atomically: true, encoding: .utf8)
            // Root certificates the spec leaves to deployment are required variables, given as a user would.
            for line in file.contents.split(separator: "\n") where line.hasPrefix("variable \"vpn_root_certificate_") {
                let name = line.split(separator: "\"")[1]
                options.variables.append((String(name), "MIIBroot"))
            }
        }
        return TerraformReader.read(directory.path, options: options)
    }

    /// Differences between two graphs, one line per resource or field, ignoring only the documented exceptions.
    static func differences(_ expected: ResourceGraph, _ actual: ResourceGraph) throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func normalized(_ resource: Resource) throws -> [String: Any] {
            var copy = resource
            var payload = copy.payload
            payload.source = nil
            copy = payload.asResource
            let data = try encoder.encode(copy)
            var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            for key in TerraformRoundTripTests.intentional[resource.type.rawValue] ?? [] { object[key] = nil }
            return object
        }
        func text(_ value: Any?) throws -> String {
            guard let value else { return "nil" }
            let data = try JSONSerialization.data(withJSONObject: ["v": value], options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
        var lines: [String] = []
        let actualIDs = Set(actual.resources.map(\.id))
        for resource in expected.resources {
            guard let other = actual[resource.id] else {
                lines.append("missing \(resource.id)")
                continue
            }
            let a = try normalized(resource), b = try normalized(other)
            for key in Set(a.keys).union(b.keys).sorted() {
                let left = try text(a[key]), right = try text(b[key])
                if left != right {
                    lines.append("\(resource.id.name) \(key): spec \(left.prefix(300)) ≠ read \(right.prefix(300))")
                }
            }
        }
        for id in actualIDs where expected[id] == nil { lines.append("extra \(id)") }
        return lines
    }

    /// Fields the Terraform renderer does not write, so reading cannot recover them (intentional differences):
    /// - tags of role assignments and diagnostic settings: these extension resources take no tags in azurerm;
    /// - a diagnostic setting's log categories for a storage account: the renderer sends its metrics only, since
    ///   storage logs are emitted per service;
    /// - a subnet's service endpoint regions: azurerm's `service_endpoints` names services only (the platform
    ///   chooses the regions), so they read back as "the VNet's region" (empty).
    static let intentional: [String: [String]] = [
        "Microsoft.Authorization/roleAssignments": ["tags"],
        "Microsoft.Insights/diagnosticSettings": ["tags", "logCategories"],
    ]

    /// Normalises what the model allows two spellings of: service endpoints whose regions are the VNet's own.
    static func normalise(_ graph: ResourceGraph) -> ResourceGraph {
        var copy = graph
        for subnet in graph.all(Subnet.self) {
            let region = graph.resource(subnet.virtualNetwork, as: VirtualNetwork.self)?.location
            copy.update(subnet.id, as: Subnet.self) { value in
                value.serviceEndpoints = value.serviceEndpoints.map { endpoint in
                    endpoint.locations == [region ?? ""] ? ServiceEndpoint(service: endpoint.service) : endpoint
                }
            }
        }
        // A jumpbox password is `random_password.<x>.result` in Terraform (also written to the vault), where the spec
        // names the vault secret: both say "generated, kept in the vault"; the VM's reference is not compared.
        for vm in graph.all(VirtualMachine.self) {
            copy.update(vm.id, as: VirtualMachine.self) { value in value.adminPassword = nil }
        }
        // Role assignment names are computed from scope, role and principal (so they follow `var.name`): matched by meaning.
        for assignment in copy.all(RoleAssignment.self) {
            copy.remove(assignment.id)
            if assignment.principalObjectID == Evaluator.placeholderGUID { continue }  // the deployer's role (below)
            let role = String(assignment.roleDefinitionID.split(separator: "/").last ?? "")
            let key = StableGUID.make(assignment.scope.rawValue, role, assignment.principal?.rawValue ?? assignment.principalObjectID ?? "")
            var matched = RoleAssignment(name: key, scope: assignment.scope, roleDefinitionID: role)
            matched.principal = assignment.principal
            matched.principalObjectID = assignment.principalObjectID
            matched.principalType = assignment.principalType
            matched.location = assignment.location
            matched.tags = assignment.tags
            copy.insert(.roleAssignment(matched))
        }
        // The renderer gives the identity running Terraform "Key Vault Secrets Officer" on an RBAC vault it writes secrets to.
        for assignment in graph.all(RoleAssignment.self) where assignment.principalObjectID == Evaluator.placeholderGUID {
            copy.remove(assignment.id)
        }
        return copy
    }

    @Test(arguments: [nil] + examples)
    func roundTrip(_ path: String?) throws {
        let graph = try #require(Self.specGraph(path))
        let result = try Self.roundTrip(graph)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        var read = Self.normalise(result.graph)
        // A root certificate the spec leaves to deployment is given as a variable (see roundTrip).
        for gateway in graph.all(VirtualNetworkGateway.self) where gateway.vpnClientConfiguration?.rootCertificates.contains(where: { $0.publicCertData == nil }) == true {
            read.update(gateway.id, as: VirtualNetworkGateway.self) { value in
                for index in value.vpnClientConfiguration?.rootCertificates.indices ?? 0..<0
                where value.vpnClientConfiguration?.rootCertificates[index].publicCertData == "MIIBroot" {
                    value.vpnClientConfiguration?.rootCertificates[index].publicCertData = nil
                }
            }
        }
        // A landing zone's existing hub is described, not rendered: the spoke's code reads back as the deployable part.
        let lines = try Self.differences(Self.normalise(graph.deployable), read)
        for line in lines.prefix(40) { print(line) }
        #expect(lines.isEmpty, "\(path ?? "default"): \(lines.count) differences")
    }
}
