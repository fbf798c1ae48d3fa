# Tsunagu (つなぐ) offline install for Windows: powershell -ExecutionPolicy Bypass -File install.ps1 [-Target DIR]
# Makes a virtual environment in DIR (default: %LOCALAPPDATA%\Programs\tsunagu) and installs Tsunagu from the
# wheels beside this file, with no network (pip --no-index). Run it again with a newer kit to upgrade:
# the catalogue, settings, referral log, case notes and backups live in your data folder, not in DIR.
param([string]$Target = (Join-Path $env:LOCALAPPDATA "Programs\tsunagu"))
$ErrorActionPreference = "Stop"
$Kit = Split-Path -Parent $MyInvocation.MyCommand.Path

$Python = $null
foreach ($version in @("3.13", "3.12", "3.11")) {
    if (Get-Command py -ErrorAction SilentlyContinue) {
        & py "-$version" -c "import sys" 2>$null
        if ($LASTEXITCODE -eq 0) { $Python = @("py", "-$version"); break }
    }
}
if (-not $Python -and (Get-Command python -ErrorAction SilentlyContinue)) {
    & python -c "import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else 1)" 2>$null
    if ($LASTEXITCODE -eq 0) { $Python = @("python") }
}
if (-not $Python) {
    Write-Error "Python 3.11, 3.12 または 3.13 が見つかりません (no Python 3.11-3.13 found). Python を入れてから、もう一度実行してください (install one, then run this again)."
    exit 1
}

Write-Host "つなぐを $Target に入れます (installing into $Target) ..."
$exe, $rest = $Python
& $exe @rest -m venv $Target
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
& (Join-Path $Target "Scripts\python.exe") -m pip install --quiet --disable-pip-version-check --no-index `
    --find-links (Join-Path $Kit "wheels") --upgrade tsunagu
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
& (Join-Path $Target "Scripts\tsunagu.exe") --version
Write-Host "できました (done). 起動 (start): $(Join-Path $Target 'Scripts\tsunagu.exe')"
