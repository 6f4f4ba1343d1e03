# Independent re-computation of spinemets.small_sample (and Tukey's hinges) with R.
# Usage: Rscript small_sample_crosscheck.R cases.csv out.csv boot.csv
# cases.csv is written by tests/test_small_sample_r.py from spinemets.data.load(); out.csv gets one
# "key,value" row per number; boot.csv the medians of R's own bootstrap resamples (boot package).
suppressPackageStartupMessages({
  library(survival)
  library(coin)
  library(boot)
})
args <- commandArgs(trailingOnly = TRUE)
cases <- read.csv(args[1])
out <- list()
put <- function(key, value) out[[key]] <<- as.numeric(value)
flag <- function(column) cases[[column]] == "True"

# Exact conditional log-rank tests (coin, mid-ranks scores, full enumeration of the permutation
# distribution), beside the asymptotic survdiff p.
endpoints <- list(dss = c("dss_months", "dss_event"), drfs = c("drfs_months", "drfs_event"),
                  lr = c("lr_months", "lr_event"))
for (name in names(endpoints)) {
  cols <- endpoints[[name]]
  frame <- data.frame(time = cases[[cols[1]]], event = flag(cols[2]),
                      margin = factor(ifelse(flag("margin_positive"), "positive", "negative")))
  exact <- logrank_test(Surv(time, event) ~ margin, data = frame, distribution = "exact")
  put(sprintf("exact_logrank_%s_margin_p", name), pvalue(exact))
  put(sprintf("asymptotic_logrank_%s_margin_p", name), survdiff(Surv(time, event) ~ margin, data = frame)$pvalue)
}

# SPSS's median rule: the smallest event time at which S(t) <= 0.5 (NA if never reached).
spss_median <- function(time, event) {
  fit <- survfit(Surv(time, event) ~ 1)
  hit <- fit$n.event > 0 & fit$surv <= 0.5 + 1e-9
  if (any(hit)) fit$time[which(hit)[1]] else NA_real_
}
surv_at <- function(time, event, t) summary(survfit(Surv(time, event) ~ 1), times = t, extend = TRUE)$surv

# Leave one patient out: the headline estimates without each case.
headlines <- function(d) {
  margin <- d$margin_positive == "True"
  c(dss5 = 100 * surv_at(d$dss_months, d$dss_event == "True", 60),
    os5 = 100 * surv_at(d$dss_months, d$death_any == "True", 60),
    median_dss = spss_median(d$dss_months, d$dss_event == "True"),
    median_drfs = spss_median(d$drfs_months, d$drfs_event == "True"),
    logrank_p = survdiff(Surv(d$drfs_months, d$drfs_event == "True") ~ margin)$pvalue,
    hr = exp(coef(coxph(Surv(d$drfs_months, d$drfs_event == "True") ~ margin)))[[1]])
}
for (key in names(headlines(cases))) put(sprintf("loo_all_%s", key), headlines(cases)[[key]])
for (i in seq_len(nrow(cases))) {
  values <- headlines(cases[-i, ])
  for (key in names(values)) put(sprintf("loo_%d_%s", cases$case[i], key), values[[key]])
}

# Tukey's hinges (stats::fivenum) of the year of surgery in each group the paper compares.
for (column in c("margin_positive", "lr_event", "drfs_event")) {
  for (value in c("True", "False")) {
    hinges <- fivenum(cases$year[cases[[column]] == value])
    put(sprintf("hinges_%s_%s_lower", column, value), hinges[2])
    put(sprintf("hinges_%s_%s_median", column, value), hinges[3])
    put(sprintf("hinges_%s_%s_upper", column, value), hinges[4])
  }
}

# R's own bootstrap of the median (boot package, ordinary nonparametric resampling of patients,
# R's random numbers): its resampled medians, for comparison with numpy's in distribution.
set.seed(2019)
resampled <- list()
for (name in c("drfs", "dss")) {
  cols <- endpoints[[name]]
  frame <- data.frame(time = cases[[cols[1]]], event = flag(cols[2]))
  result <- boot(frame, function(d, rows) spss_median(d$time[rows], d$event[rows]), R = 4000)
  resampled[[name]] <- result$t[, 1]
}
write.csv(data.frame(key = names(out), value = unlist(out)), args[2], row.names = FALSE)
write.csv(as.data.frame(resampled), args[3], row.names = FALSE)
