import Foundation
import Testing

/// `palisade audit` end to end: a fake `az` on the PATH, a fake Resource Graph/ARM endpoint on 127.0.0.1.
@Suite struct AuditCommandTests {
    static let binary: URL = {
        var directory = Bundle.main.bundleURL
        while directory.pathExtension == "xctest" || directory.lastPathComponent == "Contents" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("palisade")
    }()
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func run(_ arguments: [String], path: String, extra: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = Self.repository
        var environment = ProcessInfo.processInfo.environment
        for key in ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET"] { environment[key] = nil }
        environment["PATH"] = path
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var stderr = Data()
        group.enter()
        DispatchQueue.global().async { stderr = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// An estate in subscription A (an NSG open to SSH from the internet); subscription B is forbidden.
    func server() throws -> FakeAzure {
        let a = Recorded.subscriptionA, b = Recorded.subscriptionB
        return try FakeAzure { request in
            guard request.headers["authorization"] == "Bearer \(fakeJWT)" else {
                return Recorded.error(401, code: "InvalidAuthenticationToken", message: "bad token")
            }
            guard Recorded.isGraph(request) else { return Recorded.error(404, code: "NotFound", message: "none") }
            if Recorded.subscriptions(of: request).contains(b) {
                return Recorded.error(403, code: "AuthorizationFailed", message: "The client does not have authorization.")
            }
            guard Recorded.batch(of: request) == "network" else { return Recorded.page([], total: 0) }
            return Recorded.page([
                Recorded.virtualNetwork(a, name: "hub", prefix: "10.0.0.0/16", subnets: [("training", "10.0.1.0/24")], nsg: "nsg-open"),
                Recorded.networkSecurityGroup(a, name: "nsg-open", openSSH: true),
            ], total: 2)
        }
    }

    @Test func auditSavesASnapshotThatEveryCommandReadsOffline() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.fakeAz(stdout: "{\"accessToken\": \"\(fakeJWT)\", \"expires_on\": 4102444800, \"tokenType\": \"Bearer\"}")
        let fake = try server()
        defer { fake.stop() }
        let path = directory.url.path + ":/usr/bin:/bin"
        let snapshot = directory.path("estate.json")
        let audit = try run(["audit", "--subscription", Recorded.subscriptionA, "--endpoint", fake.url.absoluteString,
                             "--save", snapshot, "--retry-time-scale", "0"], path: path)
        // The NSG open to SSH from the internet is a finding at error severity.
        #expect(audit.status == 1, "\(audit.stderr)")
        #expect(audit.stderr.contains("Read 2 resources from subscription \(Recorded.subscriptionA) with Azure CLI"))
        #expect(audit.stdout.contains("nsg-open"))
        let saved = try String(contentsOfFile: snapshot, encoding: .utf8)
        #expect(!saved.contains("eyJ") && !audit.stdout.contains("eyJ") && !audit.stderr.contains("eyJ"))
        fake.stop()
        // Offline: the server is gone, and `az` is not on the PATH.
        let check = try run(["check", snapshot, "--format", "json"], path: "/usr/bin:/bin")
        #expect(check.status == 1)
        #expect(check.stdout.contains("nsg-open"))
        for command in [["plan", snapshot], ["reach", snapshot], ["report", snapshot, "--out", directory.path("report.html")]] {
            let result = try run(command, path: "/usr/bin:/bin")
            #expect(result.status == 0, "\(command[0]): \(result.stderr)")
        }
        // An existing snapshot is never overwritten without --force.
        let again = try run(["audit", "--subscription", Recorded.subscriptionA, "--endpoint", fake.url.absoluteString, "--save", snapshot], path: path)
        #expect(again.status == 2)
    }

    @Test func forbiddenSubscriptionMakesAPartialAuditWithItsOwnExitCode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.fakeAz(stdout: "{\"accessToken\": \"\(fakeJWT)\", \"expires_on\": 4102444800, \"tokenType\": \"Bearer\"}")
        let fake = try server()
        defer { fake.stop() }
        let result = try run(["audit", "--subscription", Recorded.subscriptionA, "--subscription", Recorded.subscriptionB,
                              "--endpoint", fake.url.absoluteString, "--retry-time-scale", "0", "--save", directory.path("partial.json")],
                             path: directory.url.path + ":/usr/bin:/bin")
        #expect(result.status == 4)
        #expect(result.stderr.contains("could not read subscription \(Recorded.subscriptionB)"))
        #expect(result.stderr.contains("Reader role"))
        #expect(!result.stderr.contains("could not read subscription \(Recorded.subscriptionA)"))
        #expect(result.stdout.contains("Incomplete audit"))
        let saved = try String(contentsOfFile: directory.path("partial.json"), encoding: .utf8)
        #expect(saved.contains("\"complete\":false"))
    }

    @Test func failedAuthenticationIsAFailedAudit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.fakeAz(stdout: "", stderr: "Please run 'az login' to setup account.", status: 1)
        let result = try run(["audit", "--subscription", Recorded.subscriptionA, "--endpoint", "http://127.0.0.1:9"],
                             path: directory.url.path + ":/usr/bin:/bin")
        #expect(result.status == 4)
        #expect(result.stderr.contains("az login"))
    }

    @Test func servicePrincipalAndManagedIdentityThroughTheCommand() throws {
        let a = Recorded.subscriptionA
        let fake = try FakeAzure { request in
            if request.path == "/contoso.onmicrosoft.com/oauth2/v2.0/token" {
                return FakeResponse(status: 200, object: ["token_type": "Bearer", "expires_in": 3599, "access_token": fakeJWT])
            }
            if request.path == "/metadata/identity/oauth2/token", request.headers["metadata"] == "true" {
                return FakeResponse(status: 200, object: ["access_token": fakeJWT, "expires_in": "3599", "expires_on": "4102444800",
                                                          "resource": "https://management.azure.com/", "token_type": "Bearer"])
            }
            guard request.headers["authorization"] == "Bearer \(fakeJWT)", Recorded.isGraph(request) else {
                return Recorded.error(401, code: "InvalidAuthenticationToken", message: "bad token")
            }
            return Recorded.batch(of: request) == "network"
                ? Recorded.page([Recorded.virtualNetwork(a, name: "hub", prefix: "10.0.0.0/16", subnets: [("training", "10.0.1.0/24")])], total: 1)
                : Recorded.page([], total: 0)
        }
        defer { fake.stop() }
        // No `az` on this PATH: the token must come from the environment's service principal.
        let principal = try run(["audit", "--subscription", a, "--endpoint", fake.url.absoluteString],
                                path: "/usr/bin:/bin",
                                extra: ["AZURE_CLIENT_ID": "6731de76-14a6-49ae-97bc-6eba6914391e", "AZURE_TENANT_ID": "contoso.onmicrosoft.com",
                                        "AZURE_CLIENT_SECRET": "sampleCredentia1s", "AZURE_AUTHORITY_HOST": fake.url.absoluteString])
        #expect(principal.status == 0 || principal.status == 1, "\(principal.stderr)")
        #expect(principal.stderr.contains("Read 1 resource from subscription \(a) with service principal"))
        #expect(!(principal.stdout + principal.stderr).contains("sampleCredentia1s"))
        let identity = try run(["audit", "--subscription", a, "--endpoint", fake.url.absoluteString, "--auth", "managed-identity",
                                "--managed-identity-endpoint", fake.url.absoluteString + "/metadata/identity/oauth2/token"],
                               path: "/usr/bin:/bin")
        #expect(identity.status == 0 || identity.status == 1, "\(identity.stderr)")
        #expect(identity.stderr.contains("Read 1 resource from subscription \(a) with managed identity"))
    }

    @Test func badFlagsAreInvalidInput() throws {
        #expect(try run(["audit"], path: "/usr/bin:/bin").status == 2)
        #expect(try run(["audit", "--subscription", "x", "--endpoint", "http://example.com"], path: "/usr/bin:/bin").status == 2)
        #expect(try run(["audit", "--subscription", "/subscriptions/x"], path: "/usr/bin:/bin").status == 2)
    }

    @Test func driftAgainstASpec() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.fakeAz(stdout: "{\"accessToken\": \"\(fakeJWT)\", \"expires_on\": 4102444800, \"tokenType\": \"Bearer\"}")
        let fake = try server()
        defer { fake.stop() }
        let result = try run(["audit", "--subscription", Recorded.subscriptionA, "--endpoint", fake.url.absoluteString,
                              "--against", "examples/hub.yaml", "--format", "json"], path: directory.url.path + ":/usr/bin:/bin")
        #expect(result.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let drift = report?["drift"] as? [String: Any]
        #expect((drift?["added"] as? [Any])?.isEmpty == false)
        #expect((drift?["lacking"] as? [Any])?.isEmpty == false)
        #expect((report?["audit"] as? [String: Any])?["complete"] as? Bool == true)
        // Reachability drift, as `palisade diff` computes it: the design's flows the estate lacks are closed.
        let reachability = report?["reachability"] as? [String: Any]
        #expect(reachability?["before"] as? String == "examples/hub.yaml")
        #expect((reachability?["closed"] as? [Any])?.isEmpty == false)
    }
}
