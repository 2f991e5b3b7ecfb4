using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GovInfoReports.Web.Shared;

/// <summary>The page shown for 4xx/5xx status codes (re-executed with the original method, so a refused
/// POST also lands here without another antiforgery check).</summary>
[IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    public int Code { get; private set; }
    public void OnGet(int code) => Code = code;
    public void OnPost(int code) => Code = code;
}
