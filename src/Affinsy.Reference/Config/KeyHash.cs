using System.Security.Cryptography;
using System.Text;

namespace Affinsy.Reference.Config;

/// <summary>The contract's key hash: lowercase hex SHA-256 of the API key's UTF-8 bytes.</summary>
public static class KeyHash
{
    public static string Of(string apiKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
}
