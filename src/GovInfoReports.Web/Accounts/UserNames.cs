using GovInfoReports.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace GovInfoReports.Web.Accounts;

/// <summary>Display names of users, for history and comments.</summary>
public sealed class UserNames(AppDbContext db)
{
    public async Task<IReadOnlyDictionary<string, string>> ForAsync(IEnumerable<string?> ids, CancellationToken ct = default)
    {
        var wanted = ids.OfType<string>().Distinct().ToList();
        return await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => $"{u.DisplayName}（{u.UserName}）", ct);
    }
}
