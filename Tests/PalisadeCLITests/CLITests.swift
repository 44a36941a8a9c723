import Foundation
import Testing

/// Smoke tests of the executable: exit codes and "nothing written on bad input".
@Suite struct CLITests {
    static let binary: URL = {
        // Tests run from the build products directory, next to the `palisade` executable.
        var directory = Bundle.main.bundleURL
        while directory.pathExtension == "xctest" || directory.lastPathComponent == "Contents" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("palisade")
    }()
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = Self.repository
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    @Test func noArgumentsPlansTheDefault() throws {
        let result = try run([])
        #expect(result.status == 0)
        #expect(result.stdout.contains("10.1.0.0/22"))
        #expect(result.stdout.contains("Machine learning workspaces"))
    }

    @Test func jsonIsDeterministic() throws {
        let first = try run(["plan", "examples/hub.yaml", "--format", "json"])
        let second = try run(["plan", "examples/hub.yaml", "--format", "json"])
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        #expect(first.stdout.contains("\"10.222.252.0/26\""))
    }

    @Test func badSpecExitsTwoAndWritesNothing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = directory.appendingPathComponent("bad.yaml")
        try "name: test\nnetwrk: {}\n".write(to: spec, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("plan.txt")
        let result = try run(["plan", spec.path, "--output", output.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.yaml:2:1"))
        #expect(result.stderr.contains("did you mean 'network'"))
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func badFlagExitsTwo() throws {
        #expect(try run(["plan", "--format", "xml"]).status == 2)
    }

    @Test func initWritesAStarterThatPlans() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("palisade.yaml").path
        #expect(try run(["init", "--output", path]).status == 0)
        #expect(try run(["init", "--output", path]).status == 2)
        #expect(try run(["plan", path]).status == 0)
    }
}
