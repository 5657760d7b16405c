import Foundation
import Testing
import TestSupport
@testable import Git

/// Host keys are held to known-hosts files as `ssh` holds them. The keys and the hashed lines
/// below were made with `ssh-keygen` (`-t ed25519`, `-t rsa`, and `-H` for the hashed names).
@Suite struct KnownHostsTests {
    static let ed1 = "AAAAC3NzaC1lZDI1NTE5AAAAIL8qxT5heE54PfPW5M5NR2FTS3sjq7I5dseeJUiX0xhf"
    static let ed2 = "AAAAC3NzaC1lZDI1NTE5AAAAIGMO6v+zwv+6MZY5R++m1062tJgb4K0A8Dso5OjFulm2"
    static let rsa = "AAAAB3NzaC1yc2EAAAADAQABAAAAgQDfo809ubyXChyoinW7OXzFnaoLaGPm0SUSyA61UNNwWnP+Y08Wl3+akTI0SRxye/0TD1IphE3GcTj9S8g/gI+zF1tCZZeRCRzP8Kx5BsgTTGZ5C7mQ/LtWeZrCppS6iekauzsSo+dwXHMYDoMwE41UKGDukXtnwe3zue33G+W2WQ=="
    /// `news.example.org` with ed1 and `[news.example.org]:2222` with ed2, hashed by `ssh-keygen -H`.
    static let hashed = """
        |1|SX5f3KpVDcTIPWbsLQKnOzrdJDo=|ilJBFtlpCWtk1/uDzpKV1EbKJVc= ssh-ed25519 \(ed1)
        |1|bM6NPqaC4mt6oibk8UyHdjnpg/I=|6Mo8MFJu8/+Rl2WAJUwTGNK0yzM= ssh-ed25519 \(ed2)

        """

    let folder = TemporaryFolder()

    func key(_ base64: String) -> [UInt8] { Array(Data(base64Encoded: base64)!) }

    func hosts(_ text: String) -> KnownHosts { KnownHosts(files: [folder.write("known_hosts", text), folder.file("missing")]) }

    @Test func plainNamesPortsAndKeyTypes() {
        let known = hosts("""
            # a comment, then a blank line

            news.example.org,192.0.2.7 ssh-ed25519 \(Self.ed1) first
            [news.example.org]:2222 ssh-ed25519 \(Self.ed2)
            rsa.example.org ssh-rsa \(Self.rsa)
            """)
        #expect(known.verdict(host: "news.example.org", port: 22, key: key(Self.ed1)) == .known)
        #expect(known.verdict(host: "NEWS.example.org", port: 22, key: key(Self.ed1)) == .known, "host names ignore case")
        #expect(known.verdict(host: "192.0.2.7", port: 22, key: key(Self.ed1)) == .known)
        #expect(known.verdict(host: "news.example.org", port: 2222, key: key(Self.ed2)) == .known)
        // Another key of the same type under that name: changed, naming the line that holds the old one.
        #expect(known.verdict(host: "news.example.org", port: 22, key: key(Self.ed2)) == .changed(file: folder.file("known_hosts"), line: 3))
        #expect(known.verdict(host: "news.example.org", port: 2222, key: key(Self.ed1)) == .changed(file: folder.file("known_hosts"), line: 4))
        // A port not listed is another host for ssh; so is a name not listed.
        #expect(known.verdict(host: "news.example.org", port: 2200, key: key(Self.ed1)) == .unknown)
        #expect(known.verdict(host: "other.example.org", port: 22, key: key(Self.ed1)) == .unknown)
        // Known only with a key of another type: not a change, just not known.
        #expect(known.verdict(host: "rsa.example.org", port: 22, key: key(Self.ed1)) == .unknown)
        #expect(known.verdict(host: "rsa.example.org", port: 22, key: key(Self.rsa)) == .known)
    }

    @Test func hashedNamesAsSshKeygenWritesThem() {
        let known = hosts(Self.hashed)
        #expect(known.verdict(host: "news.example.org", port: 22, key: key(Self.ed1)) == .known)
        #expect(known.verdict(host: "news.example.org", port: 2222, key: key(Self.ed2)) == .known)
        #expect(known.verdict(host: "news.example.org", port: 22, key: key(Self.ed2)) == .changed(file: folder.file("known_hosts"), line: 1))
        #expect(known.verdict(host: "news.example.net", port: 22, key: key(Self.ed1)) == .unknown)
    }

    @Test func wildCardsNegationAndRevokedKeys() {
        let known = hosts("""
            *.example.org,!secret.example.org ssh-ed25519 \(Self.ed1)
            git?.example.net ssh-ed25519 \(Self.ed2)
            @revoked * ssh-rsa \(Self.rsa)
            @cert-authority *.example.org ssh-ed25519 \(Self.ed2)
            """)
        #expect(known.verdict(host: "a.example.org", port: 22, key: key(Self.ed1)) == .known)
        #expect(known.verdict(host: "a.b.example.org", port: 22, key: key(Self.ed1)) == .known)
        #expect(known.verdict(host: "secret.example.org", port: 22, key: key(Self.ed1)) == .unknown)
        #expect(known.verdict(host: "example.org", port: 22, key: key(Self.ed1)) == .unknown)
        #expect(known.verdict(host: "git1.example.net", port: 22, key: key(Self.ed2)) == .known)
        #expect(known.verdict(host: "git12.example.net", port: 22, key: key(Self.ed2)) == .unknown)
        #expect(known.verdict(host: "any.example.com", port: 22, key: key(Self.rsa)) == .revoked(file: folder.file("known_hosts"), line: 3))
        // A host certificate authority's key is not a host key.
        #expect(known.verdict(host: "a.example.org", port: 22, key: key(Self.ed2)) == .changed(file: folder.file("known_hosts"), line: 1))
    }

    @Test func hmacAndKeyTypes() {
        // RFC 2202, test case 1.
        let mac = KnownHosts.hmacSHA1(key: [UInt8](repeating: 0x0B, count: 20), message: Array("Hi There".utf8))
        #expect(mac.map { String(format: "%02x", $0) }.joined() == "b617318655057264e28bc0b6fb378c8ef146be00")
        #expect(KnownHosts.keyType(of: key(Self.ed1)) == "ssh-ed25519")
        #expect(KnownHosts.keyType(of: key(Self.rsa)) == "ssh-rsa")
        #expect(KnownHosts.keyType(of: [0, 0, 0, 9, 1]) == nil)
    }

    @Test func portsOfSshURLs() {
        #expect(SSHHostKeyCheck.sshPort("ssh://git@news.example.org/corpus.git") == 22)
        #expect(SSHHostKeyCheck.sshPort("ssh://git@news.example.org:2222/corpus.git") == 2222)
        #expect(SSHHostKeyCheck.sshPort("ssh://[2001:db8::1]:2200/corpus.git") == 2200)
        #expect(SSHHostKeyCheck.sshPort("ssh://[2001:db8::1]/corpus.git") == 22)
        #expect(SSHHostKeyCheck.sshPort("git+ssh://news.example.org:2022/x") == 2022)
        #expect(SSHHostKeyCheck.sshPort("git@news.example.org:corpus.git") == 22)
    }
}
