# Independent re-computation, in R, of the methods added in "Beyond Kaplan-Meier": penalised (Firth)
# and profile-likelihood inference for the Cox models, the Grambsch-Therneau test as cox.zph computes
# it, competing risks (cmprsk::cuminc: cumulative incidence and Gray's test), restricted mean
# survival time by group, and the reverse Kaplan-Meier follow-up with its interval.
# Usage: Rscript methods_crosscheck.R cases.csv out.csv
# cases.csv is written by tests/test_r_methods.py from spinemets.data.load(); out.csv gets one
# "key,value" row per number. Nothing here calls the Python code: the likelihoods come from
# survival::coxph evaluated at fixed coefficients (iter.max = 0) and are optimised with R's own
# optimize() and uniroot().
suppressPackageStartupMessages({library(survival); library(cmprsk)})
args <- commandArgs(trailingOnly = TRUE)
cases <- read.csv(args[1])
out <- list()
put <- function(key, value) out[[key]] <<- as.numeric(value)
chi <- qchisq(0.95, 1)

margin <- as.numeric(cases$margin_positive == "True")
died <- cases$death_any == "True"
endpoint <- function(name) list(time = cases[[paste0(name, "_months")]], event = cases[[paste0(name, "_event")]] == "True")

# Log partial likelihood (Efron ties, coxph's default) and information at a fixed coefficient b.
at <- function(time, event, x, b) {
  fit <- suppressWarnings(coxph(Surv(time, event) ~ x, init = b, control = coxph.control(iter.max = 0)))
  list(loglik = fit$loglik[2], information = 1 / fit$var[1, 1])
}
bounds <- c(-20, 20)
profile <- function(f, estimate) {
  floor <- f(estimate) - chi / 2
  side <- function(end) if (f(end) > floor) sign(end) * Inf else
    uniroot(function(b) f(b) - floor, sort(c(estimate, end)), tol = 1e-10)$root
  c(side(bounds[1]), side(bounds[2]))
}

for (name in c("dss", "drfs", "lr")) {
  e <- endpoint(name)
  plain <- function(b) at(e$time, e$event, margin, b)$loglik
  penalised <- function(b) { v <- at(e$time, e$event, margin, b); v$loglik + 0.5 * log(v$information) }
  for (b in c(-1, 0, 0.5, 2)) {
    v <- at(e$time, e$event, margin, b)
    put(sprintf("%s_loglik_%g", name, b), v$loglik)
    put(sprintf("%s_information_%g", name, b), v$information)
  }
  # Ordinary maximum partial likelihood (profile-likelihood interval, likelihood-ratio p) and Firth's
  # penalised one (loglik + 0.5 log I(b); profile penalised likelihood interval and p)
  for (method in list(list("profile", plain), list("firth", penalised))) {
    f <- method[[2]]
    estimate <- optimize(f, bounds, maximum = TRUE, tol = 1e-10)$maximum
    ci <- profile(f, estimate)
    put(sprintf("%s_%s_coef", name, method[[1]]), estimate)
    put(sprintf("%s_%s_lower", name, method[[1]]), ci[1])
    put(sprintf("%s_%s_upper", name, method[[1]]), ci[2])
    put(sprintf("%s_%s_p", name, method[[1]]), pchisq(2 * (f(estimate) - f(0)), 1, lower.tail = FALSE))
  }
  # Proportional hazards: cox.zph (exact score test since survival 3.0), both transforms
  cox <- coxph(Surv(e$time, e$event) ~ margin)
  put(sprintf("%s_zph_km_p", name), cox.zph(cox, transform = "km")$table[1, "p"])
  put(sprintf("%s_zph_rank_p", name), cox.zph(cox, transform = "rank")$table[1, "p"])
  # Competing risks: Gray's test by margin (death competing; for dss, death from another cause)
  code <- ifelse(e$event, 1, ifelse(died, 2, 0))
  gray <- cuminc(e$time, code, margin)
  put(sprintf("%s_gray_p", name), gray$Tests[1, "pv"])
  put(sprintf("%s_gray_stat", name), gray$Tests[1, "stat"])
  for (g in c(0, 1)) {
    cif <- timepoints(cuminc(e$time[margin == g], code[margin == g]), c(24, 60))$est
    for (t in c(24, 60)) put(sprintf("%s_cif_margin%d_%d", name, g, t), cif[1, as.character(t)])
  }
  # Restricted mean survival time by margin up to the common horizon and at 60 months
  fit <- survfit(Surv(e$time, e$event) ~ margin)
  tau_common <- min(tapply(e$time, margin, max))
  put(sprintf("%s_tau_common", name), tau_common)
  for (tau in c(60, tau_common)) {
    table <- summary(fit, rmean = tau)$table
    key <- if (tau == tau_common) "common" else sprintf("%g", tau)
    put(sprintf("%s_rmst_%s_margin0", name, key), table[1, "rmean"])
    put(sprintf("%s_rmst_%s_margin1", name, key), table[2, "rmean"])
    put(sprintf("%s_rmst_%s_se_margin0", name, key), table[1, "se(rmean)"])
    put(sprintf("%s_rmst_%s_se_margin1", name, key), table[2, "se(rmean)"])
  }
}

# Death from the disease with death from another cause competing (whole series)
e <- endpoint("dss")
code <- ifelse(e$event, 1, ifelse(died, 2, 0))
cif <- timepoints(cuminc(e$time, code), c(24, 60, 120))$est
for (t in c(24, 60, 120)) put(sprintf("dss_cif_%d", t), cif[1, as.character(t)])

# Disease-specific and overall RMST
for (h in c(60, 120)) {
  put(sprintf("dss_rmst_%d", h), summary(survfit(Surv(e$time, e$event) ~ 1), rmean = h)$table[["rmean"]])
  put(sprintf("os_rmst_%d", h), summary(survfit(Surv(e$time, died) ~ 1), rmean = h)$table[["rmean"]])
  put(sprintf("os_rmst_se_%d", h), summary(survfit(Surv(e$time, died) ~ 1), rmean = h)$table[["se(rmean)"]])
}

# Reverse Kaplan-Meier follow-up: median with R's default (log) interval
for (reversed in list(list("reverse_km", !e$event), list("reverse_km_all_deaths", !died))) {
  q <- quantile(survfit(Surv(e$time, reversed[[2]]) ~ 1), probs = 0.5)
  put(sprintf("%s_median", reversed[[1]]), q$quantile)
  put(sprintf("%s_lower", reversed[[1]]), q$lower)
  put(sprintf("%s_upper", reversed[[1]]), q$upper)
}

write.csv(data.frame(key = names(out), value = unlist(out)), args[2], row.names = FALSE)
