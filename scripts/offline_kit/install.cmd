@echo off
rem Tsunagu offline install for Windows: install.cmd [DIR]  (runs install.ps1)
if "%~1"=="" (
    powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1"
) else (
    powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1" -Target "%~1"
)
exit /b %ERRORLEVEL%
