import Foundation
import Testing

/// `trace` and `reach` as a user runs them on the built-in default (issue #7's acceptance points).
@Suite struct NetworkCommandTests {
    let cli = CLITests()

    func verdict(_ arguments: [String]) throws -> String? {
        let result = try cli.run(["trace"] + arguments + ["--format", "json"])
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            Issue.record("trace \(arguments) exited \(result.status): \(result.stderr)")
            return nil
        }
        return object["verdict"] as? String
    }

    @Test func computeReachesWhatAMLNeedsAndNothingElse() throws {
        #expect(try verdict(["--from", "compute", "--to", "login.microsoftonline.com", "--port", "443"]) == "allowed")
        #expect(try verdict(["--from", "compute", "--to", "mlw-test"]) == "allowed")
        // PyPI is a declared package source of the default; example.org is not.
        #expect(try verdict(["--from", "compute", "--to", "pypi.org"]) == "allowed")
        #expect(try verdict(["--from", "compute", "--to", "files.pythonhosted.org"]) == "allowed")
        #expect(try verdict(["--from", "compute", "--to", "example.org"]) == "denied")
        #expect(try verdict(["--from", "compute", "--to", "93.184.216.34"]) == "denied")
    }

    @Test func theInternetReachesOnlyBastionOn443() throws {
        #expect(try verdict(["--from", "internet", "--to", "bas-test", "--port", "443"]) == "allowed")
        #expect(try verdict(["--from", "internet", "--to", "bas-test", "--port", "22"]) == "denied")
        #expect(try verdict(["--from", "internet", "--to", "vm-test", "--port", "3389"]) == "denied")
        let reach = try cli.run(["reach", "--from", "internet"])
        #expect(reach.status == 0)
        let rows = reach.stdout.split(separator: "\n").filter { $0.hasPrefix("  → ") }
        #expect(rows.count == 1 && rows[0].contains("Tcp/443"), "\(reach.stdout)")
    }

    @Test func protocolsAreCaseInsensitiveAndAnySweeps() throws {
        #expect(try verdict(["--from", "compute", "--to", "login.microsoftonline.com", "--protocol", "tcp"]) == "allowed")
        #expect(try verdict(["--from", "compute", "--to", "login.microsoftonline.com", "--protocol", "TCP"]) == "allowed")
        let sweep = try cli.run(["trace", "--from", "compute", "--to", "login.microsoftonline.com", "--protocol", "any", "--format", "json"])
        #expect(sweep.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(sweep.stdout.utf8)) as? [String: Any]
        #expect(object?["verdict"] as? String == "allowed")
        #expect((object?["traces"] as? [Any])?.count == 3)
        #expect((object?["hops"] as? [Any])?.isEmpty == false)
        #expect(try cli.run(["trace", "--from", "compute", "--to", "pypi.org", "--protocol", "gre"]).status == 2)
    }

    @Test func unknownOrAbsentSourcesAreUsageErrors() throws {
        let vpn = try cli.run(["trace", "--from", "vpn-client", "--to", "mlw-test"])
        #expect(vpn.status == 2)
        #expect(vpn.stderr.contains("no point-to-site VPN"))
        let unknown = try cli.run(["trace", "--from", "nowhere", "--to", "mlw-test"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown source 'nowhere'"))
    }

    /// D3, D8, D9: a VPN client reaches the private workspace only when it resolves private names.
    @Test func vpnClientNameResolutionModes() throws {
        let base = ["examples/hub.yaml", "--from", "vpn-client", "--to", "mlw-hub"]
        #expect(try verdict(base) == "denied")
        #expect(try verdict(base + ["--vpn-client-dns", "hosts-file"]) == "allowed")
        #expect(try verdict(base + ["--vpn-hosts-file"]) == "allowed")
        #expect(try verdict(base + ["--vpn-client-dns", "virtual-network-resolver"]) == "allowed")
        #expect(try cli.run(["trace"] + base + ["--vpn-client-dns", "bogus"]).status == 2)
    }

    @Test func reachJSONIsDeterministic() throws {
        let first = try cli.run(["reach", "examples/hub.yaml", "--format", "json"])
        let second = try cli.run(["reach", "examples/hub.yaml", "--format", "json"])
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        #expect(first.stdout.contains("\"vpn-client\""))
    }
}
